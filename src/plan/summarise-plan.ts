import type { PlannedChange, PlanSummary } from './types.js';

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
): PlanSummary {
  const summary: PlanSummary = {
    create: 0,
    update: 0,
    replace: 0,
    revoke: 0,
    noop: 0,
    unmanaged,
    retiring,
  };
  for (const change of changes) {
    if (change.action === 'no-op') summary.noop++;
    else summary[change.action]++;
  }
  return summary;
}

/** Whether applying the plan would change anything. */
export function hasChanges(summary: PlanSummary): boolean {
  return summary.create + summary.update + summary.replace + summary.revoke > 0;
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
