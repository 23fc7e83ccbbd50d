import type { Plan, PlannedChange, PlanWarning } from './types.js';

/** Below this many revokes and replaces, the default guard never refuses. */
export const MASS_REVOKE_FLOOR = 5;

/** Why apply refuses a plan without `--allow-mass-revoke`: the counts, as a plan warning. */
export type MassRevokeRefusal = Extract<PlanWarning, { code: 'mass-revoke' }>;

/**
 * The guard against an emptied manifest plus `--prune` (or a mistaken template) taking most
 * of the cluster's tokens away in one apply: with `policy.maxRevokes: N`, more than N revokes
 * and replaces; otherwise more than half of the managed tokens and more than five. Pure.
 * Only changes that take away a token someone may be using count (see below).
 */
export function checkMassRevoke(plan: Plan, maxRevokes: number | null): MassRevokeRefusal | null {
  const destructive = plan.changes.filter(takesAwayALiveToken).length;
  const managed = new Set(
    plan.changes.flatMap((change) => (change.before ? [change.before.id] : [])),
  ).size;
  if (maxRevokes !== null) {
    if (destructive <= maxRevokes) return null;
  } else if (destructive <= MASS_REVOKE_FLOOR || destructive * 2 <= managed) return null;
  return { code: 'mass-revoke', destructive, managed, maxRevokes };
}

/** The refusal as one sentence, for apply's error and the plan's warning alike. */
export function describeMassRevoke(refusal: MassRevokeRefusal): string {
  const what = `revoke or replace ${refusal.destructive} of ${refusal.managed} managed tokens`;
  return refusal.maxRevokes === null
    ? `the plan would ${what}, more than half of them`
    : `the plan would ${what}, more than policy.maxRevokes (${refusal.maxRevokes})`;
}

/**
 * A revoke of a token no longer declared, or a replace that revokes its old token at once.
 * Not counted: duplicates and ended overlaps (another token of the name stays), replaces that
 * keep the old token for an overlap, and replaces of a token nobody can use any more (its
 * string was lost, or it expired) — refusing those would block the recovery they are.
 */
function takesAwayALiveToken(change: PlannedChange): boolean {
  if (change.action === 'revoke') return change.reasonCode === 'not-declared';
  if (change.action !== 'replace') return false;
  if (change.retireAt !== undefined) return false;
  return change.reasonCode !== 'secret-lost' && change.reasonCode !== 'expired';
}
