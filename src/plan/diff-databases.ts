import {
  PATCHABLE_DATABASE_FIELDS,
  samePartitionTemplate,
  type UpdateDatabaseRequest,
} from '../model/index.js';
import type { PartitionTemplatePart } from '../model/index.js';
import type { ClusterDatabase } from '../model/index.js';
import type { DesiredDatabase } from '../manifest/index.js';
import { describeRetention, describeTemplate } from './describe-database.js';
import type { DatabaseSnapshot, PlannedDatabaseChange, PlanProblem } from './types.js';

/**
 * The database section of a plan: each declared database is created when missing and
 * updated in place (PATCH) when a declared retention or limit differs. A setting the
 * manifest leaves out is never compared. The partition template cannot change after
 * creation, so a different declared one is a problem naming the field, not a change.
 * Databases the manifest does not declare are only named, never touched.
 */
export function diffDatabases(
  desired: readonly DesiredDatabase[],
  actual: readonly ClusterDatabase[],
): { changes: PlannedDatabaseChange[]; unmanaged: string[]; problems: PlanProblem[] } {
  const byName = new Map(actual.map((database) => [database.name, database]));
  const problems: PlanProblem[] = [];
  const changes = desired.map((database): PlannedDatabaseChange => {
    const base = { name: database.name, team: database.team, source: { ...database.source } };
    const after = copySettings(database.settings);
    const existing = byName.get(database.name);
    if (existing === undefined) {
      return {
        ...base,
        action: 'create',
        actions: ['create'],
        reasonCode: 'missing',
        reason: 'not in the cluster',
        before: null,
        after,
      };
    }
    const before = snapshot(existing);
    const wanted = database.settings.partitionTemplate;
    if (wanted !== undefined && !samePartitionTemplate(wanted, before.partitionTemplate)) {
      problems.push({
        message: `database "${database.name}": partitionTemplate cannot be changed in place (the cluster has ${describeTemplate(before.partitionTemplate)}, the manifest says ${describeTemplate(wanted)})`,
        hint: 'a partition template is set when a database is created; declare the one it has, or remove partitionTemplate to leave it as it is',
        source: database.source,
      });
    }
    const patch: UpdateDatabaseRequest = {};
    const reasons: string[] = [];
    for (const field of PATCHABLE_DATABASE_FIELDS) {
      const value = database.settings[field];
      if (value === undefined || value === before[field]) continue;
      patch[field] = value;
      reasons.push(
        field === 'retentionPeriod'
          ? `retention changed from ${describeRetention(before[field])} to ${describeRetention(value)}`
          : `${field} changed from ${before[field]} to ${value}`,
      );
    }
    if (reasons.length === 0) {
      return {
        ...base,
        action: 'no-op',
        actions: ['no-op'],
        reasonCode: 'unchanged',
        reason: 'matches the manifest',
        before,
        after,
      };
    }
    return {
      ...base,
      action: 'update',
      actions: ['update'],
      reasonCode: 'settings-changed',
      reason: reasons.join(', '),
      before,
      after,
      patch,
    };
  });
  const declared = new Set(desired.map((database) => database.name));
  const unmanaged = actual
    .map((database) => database.name)
    .filter((name) => !declared.has(name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { changes, unmanaged, problems };
}

function snapshot(database: ClusterDatabase): DatabaseSnapshot {
  const result: DatabaseSnapshot = {
    retentionPeriod: database.retentionPeriod,
    maxTables: database.maxTables,
    maxColumnsPerTable: database.maxColumnsPerTable,
  };
  if (database.partitionTemplate !== undefined) {
    result.partitionTemplate = copyTemplate(database.partitionTemplate);
  }
  return result;
}

function copySettings(settings: DesiredDatabase['settings']): DesiredDatabase['settings'] {
  const copy: DesiredDatabase['settings'] = { ...settings };
  if (settings.partitionTemplate !== undefined) {
    copy.partitionTemplate = copyTemplate(settings.partitionTemplate);
  }
  return copy;
}

function copyTemplate(template: readonly PartitionTemplatePart[]): PartitionTemplatePart[] {
  return template.map((part) =>
    part.type === 'bucket' ? { type: 'bucket', value: { ...part.value } } : { ...part },
  );
}
