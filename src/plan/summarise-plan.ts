import type {
  DatabaseSummary,
  PlannedChange,
  PlannedDatabaseChange,
  PlanSummary,
} from './types.js';

/**
 * Sorts changes in place into the order every reporter shows: by team (ungrouped first),
 * then name, then the live token's id (a create, having none, first). Code-point order, so
 * the plan is the same whatever the machine's locale.
 */
export function sortChanges(changes: PlannedChange[]): PlannedChange[] {
  return changes.sort(
    (a, b) =>
      compareTeam(a.team, b.team) ||
      compareText(a.name, b.name) ||
      compareText(a.before?.id ?? '', b.before?.id ?? ''),
  );
}

/** Counts per action, plus the tokens the plan only lists. */
export function summarisePlan(
  changes: readonly PlannedChange[],
  unmanaged: number,
  retiring: number,
  databases: { changes: readonly PlannedDatabaseChange[]; unmanaged: readonly string[] } = {
    changes: [],
    unmanaged: [],
  },
): PlanSummary {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    replace: 0,
    revoke: 0,
    noop: 0,
    unmanaged,
    retiring,
    databases: summariseDatabases(databases.changes, databases.unmanaged.length),
  };
  for (const change of changes) {
    if (change.action === 'no-op') summary.noop++;
    else summary[change.action]++;
  }
  return summary;
}

/** Counts of the database section. */
export function summariseDatabases(
  changes: readonly PlannedDatabaseChange[],
  unmanaged: number,
): DatabaseSummary {
  const summary: DatabaseSummary = { create: 0, update: 0, noop: 0, unmanaged };
  for (const change of changes) {
    if (change.action === 'no-op') summary.noop++;
    else summary[change.action]++;
  }
  return summary;
}

/** Whether applying the plan would change anything, databases included. */
export function hasChanges(summary: PlanSummary): boolean {
  return (
    summary.create +
      summary.update +
      summary.replace +
      summary.revoke +
      summary.databases.create +
      summary.databases.update >
    0
  );
}

function compareTeam(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return compareText(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The counts of several plans added up (a `PlanSet`'s total). */
export function addSummaries(summaries: readonly PlanSummary[]): PlanSummary {
  const total: PlanSummary = {
    create: 0,
    update: 0,
    replace: 0,
    revoke: 0,
    noop: 0,
    unmanaged: 0,
    retiring: 0,
    databases: { create: 0, update: 0, noop: 0, unmanaged: 0 },
  };
  for (const summary of summaries) {
    for (const key of [
      'create',
      'update',
      'replace',
      'revoke',
      'noop',
      'unmanaged',
      'retiring',
    ] as const) {
      total[key] += summary[key];
    }
    for (const key of ['create', 'update', 'noop', 'unmanaged'] as const) {
      total.databases[key] += summary.databases[key];
    }
  }
  return total;
}
