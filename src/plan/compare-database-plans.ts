import { partitionTemplateKey } from '../model/index.js';
import type { DatabaseSettings } from '../model/index.js';
import type { DatabaseSnapshot, PlannedDatabaseChange } from './types.js';

/**
 * The database section's part of the saved-plan commitment: entry for entry, the same name,
 * team and action, the database acted on as it was (`before`), the settings wanted (`after`)
 * and the PATCH body. Returns the first difference as one phrase, or `null`.
 */
export function findDatabaseDifference(
  saved: readonly PlannedDatabaseChange[],
  fresh: readonly PlannedDatabaseChange[],
): string | null {
  const count = Math.max(saved.length, fresh.length);
  for (let index = 0; index < count; index++) {
    const a = saved[index];
    const b = fresh[index];
    if (a === undefined || b === undefined) {
      const extra = (a ?? b) as PlannedDatabaseChange;
      const where = a === undefined ? 'only a fresh plan has' : 'only the saved plan has';
      return `database ${index + 1}: ${where} ${extra.action} "${extra.name}" (the saved plan has ${saved.length} databases, a fresh plan ${fresh.length})`;
    }
    const difference = compareEntry(a, b);
    if (difference !== null) return `database ${index + 1} ("${b.name}"): ${difference}`;
  }
  return null;
}

function compareEntry(saved: PlannedDatabaseChange, fresh: PlannedDatabaseChange): string | null {
  if (saved.name !== fresh.name) return differs('the database name', saved.name, fresh.name);
  if (saved.action !== fresh.action) return differs('the action', saved.action, fresh.action);
  if (saved.team !== fresh.team) return differs('the team', saved.team, fresh.team);
  if (saved.actions.join(',') !== fresh.actions.join(',')) {
    return differs('the actions', saved.actions.join('+'), fresh.actions.join('+'));
  }
  if (saved.reasonCode !== fresh.reasonCode) {
    return differs('the reason', saved.reasonCode, fresh.reasonCode);
  }
  if (settingsKey(saved.before) !== settingsKey(fresh.before)) {
    return 'the database is not what the saved plan recorded';
  }
  if (settingsKey(saved.after) !== settingsKey(fresh.after)) {
    return 'the saved plan declares other settings than a fresh plan';
  }
  if (settingsKey(saved.patch ?? null) !== settingsKey(fresh.patch ?? null)) {
    return 'the saved plan sends another update (PATCH) body than a fresh plan';
  }
  return null;
}

// Field order never makes two entries differ; a field left out is not the same as a value.
function settingsKey(settings: DatabaseSettings | DatabaseSnapshot | null | undefined): string {
  if (settings === null || settings === undefined) return 'none';
  return JSON.stringify([
    settings.retentionPeriod ?? null,
    settings.maxTables ?? null,
    settings.maxColumnsPerTable ?? null,
    'partitionTemplate' in settings ? partitionTemplateKey(settings.partitionTemplate) : null,
  ]);
}

function differs(what: string, saved: string | null, fresh: string | null): string {
  return `${what} is ${JSON.stringify(saved)} in the saved plan, ${JSON.stringify(fresh)} in a fresh plan`;
}
