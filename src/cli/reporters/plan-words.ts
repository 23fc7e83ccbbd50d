import type { Permission } from '../../model/index.js';
import { normalisePermissions } from '../../manifest/index.js';
import { parseMarker } from '../../plan/index.js';
import type { DesiredSnapshot, PlannedChange, PlanSummary } from '../../plan/index.js';

/** The words every plan reporter shares, so text and markdown never disagree. */

/** Above this many changes, a plan shows counts per team and only destructive changes in full. */
export const CONDENSE_ABOVE = 50;

/**
 * `Plan: 3 to create, 1 to update, 1 to replace, 0 to revoke.` or the no-change sentence,
 * which claims a match only when no warning says otherwise (`warningsAt` says where they are).
 */
export function summaryLine(
  summary: PlanSummary,
  warnings = 0,
  warningsAt: 'above' | 'below' = 'above',
): string {
  const databases = summary.databases.create + summary.databases.update;
  if (summary.create + summary.update + summary.replace + summary.revoke + databases === 0) {
    if (warnings === 0) return 'No changes. The cluster matches the manifest.';
    return `No changes to apply; see the ${warnings === 1 ? 'warning' : 'warnings'} ${warningsAt}.`;
  }
  const tokens = `${summary.create} to create, ${summary.update} to update, ${summary.replace} to replace, ${summary.revoke} to revoke.`;
  if (databases === 0) return `Plan: ${tokens}`;
  const { create, update } = summary.databases;
  return `Plan: ${count(create, 'database')} to create, ${update} to update; tokens: ${tokens}`;
}

/** The last line of a plan of several clusters: `Total, 2 clusters: …` or that all match. */
export function totalLine(summary: PlanSummary, clusters: number, warnings = 0): string {
  const line = summaryLine(summary, warnings);
  if (line.startsWith('Plan: ')) return `Total, ${count(clusters, 'cluster')}: ${line.slice(6)}`;
  if (warnings === 0)
    return `No changes. ${clusters === 1 ? 'The cluster matches' : `All ${clusters} clusters match`} the manifest.`;
  return line;
}

/** `1 token` / `2 tokens`. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** `read:metrics`. */
export function permissionText(permission: Permission): string {
  return `${permission.action}:${permission.resource}`;
}

/** `read:logs, write:metrics`, or `none` for a token with no access. */
export function permissionsText(permissions: readonly Permission[]): string {
  const list = normalisePermissions(permissions).map(permissionText);
  return list.length === 0 ? 'none' : list.join(', ');
}

/** What an update or replace takes away and adds, compared as sets. */
export function permissionDiff(
  before: readonly Permission[],
  after: readonly Permission[],
): { removed: string[]; added: string[] } {
  const old = normalisePermissions(before).map(permissionText);
  const next = normalisePermissions(after).map(permissionText);
  return {
    removed: old.filter((permission) => !next.includes(permission)),
    added: next.filter((permission) => !old.includes(permission)),
  };
}

/** `never`, `2027-01-01T00:00:00Z`, or `90d after creation`. */
export function expiryText(after: DesiredSnapshot): string {
  if (after.expiresAt !== undefined) return after.expiresAt;
  if (after.expiresIn !== undefined) return `${after.expiresIn.text} after creation`;
  return 'never';
}

/** A description as people wrote it: without the provision marker. */
export function humanText(description: string): string {
  return parseMarker(description)?.human ?? description;
}

/** What to say next to the token's name, or `null` when the symbol says it all. */
export function headline(change: PlannedChange): string | null {
  switch (change.action) {
    case 'create':
      return change.reasonCode === 'missing' ? null : change.reason;
    case 'update': {
      const from = change.before === null ? null : parseMarker(change.before.description);
      return change.reasonCode === 'renamed' && from !== null ? `moved from ${from.name}` : null;
    }
    case 'no-op':
      return null;
    case 'replace':
    case 'revoke':
      return change.reason;
  }
}

/** Changes grouped by team, ungrouped first, keeping the plan's order inside each group. */
export function groupByTeam(changes: readonly PlannedChange[]): [string | null, PlannedChange[]][] {
  const groups = new Map<string | null, PlannedChange[]>();
  for (const change of changes) {
    const group = groups.get(change.team);
    if (group === undefined) groups.set(change.team, [change]);
    else group.push(change);
  }
  return [...groups].sort(([a], [b]) =>
    a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1,
  );
}

/** A change that takes a token away: a revoke, or a replace (its old token is revoked). */
export function isDestructive(change: PlannedChange): boolean {
  return change.action === 'revoke' || change.action === 'replace';
}

/** Counts of one team's changes, for the condensed plan. */
export interface TeamCounts {
  team: string | null;
  create: number;
  update: number;
  replace: number;
  revoke: number;
}

/** Per-team counts of the changes (no-ops left out), in `groupByTeam` order. */
export function countByTeam(changes: readonly PlannedChange[]): TeamCounts[] {
  return groupByTeam(changes.filter((change) => change.action !== 'no-op')).map(([team, group]) => {
    const counts: TeamCounts = { team, create: 0, update: 0, replace: 0, revoke: 0 };
    for (const change of group) if (change.action !== 'no-op') counts[change.action] += 1;
    return counts;
  });
}
