import { partitionTemplateKey } from '../model/index.js';
import type { DatabaseSettings } from '../model/index.js';
import { findEntryDifference } from './compare-entries.js';
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
  return findEntryDifference('database', saved, fresh, compareEntry);
}

function compareEntry(saved: PlannedDatabaseChange, fresh: PlannedDatabaseChange): string | null {
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
