import { createHash } from 'node:crypto';
import type { Permission, PermissionAction } from '../model/index.js';
import type { ProbeSpec } from './types.js';

/** Databases a token does not name that the default probe set samples, per token. */
export const SAMPLE_PER_TOKEN = 2;

/**
 * Narrows the probes from "every cluster database" to what still catches extra access at
 * scale: the databases the token names, `sample` others chosen by a hash of the token's name
 * (so a thousand tokens cover the cluster between them), and the `canary`.
 */
export interface ProbeScope {
  tokenName: string;
  /** A database no declared token is granted: any token that opens it has extra access. */
  canary: string | null;
  sample: number;
}

/**
 * The probes that show a token grants exactly its declared permissions. Without a scope,
 * every database of the cluster and every database the token names; with one, the named
 * databases, a deterministic sample of the others and the canary. Reads always; writes only
 * when asked (`--write-probe`). Sorted by database, read before write. Pure.
 */
export function buildProbes(
  permissions: readonly Permission[],
  clusterDatabases: readonly string[],
  options: { writeProbe: boolean; scope?: ProbeScope },
): ProbeSpec[] {
  const named = permissions.map((p) => p.resource).filter((resource) => resource !== '*');
  const chosen =
    options.scope === undefined
      ? [...clusterDatabases, ...named]
      : [...named, ...scoped(named, clusterDatabases, options.scope)];
  const databases = [...new Set(chosen)].sort(compare);
  const actions: PermissionAction[] = options.writeProbe ? ['read', 'write'] : ['read'];
  return databases.flatMap((database) =>
    actions.map((action) => ({
      database,
      action,
      expected: grants(permissions, action, database) ? 'granted' : 'denied',
    })),
  );
}

/**
 * The canary: the first cluster database (in code-point order) that no declared token names.
 * Wildcard grants do not count, so a `*` token is still expected to open it.
 */
export function chooseCanary(
  declared: readonly (readonly Permission[])[],
  clusterDatabases: readonly string[],
): string | null {
  const named = new Set(declared.flatMap((permissions) => permissions.map((p) => p.resource)));
  return [...clusterDatabases].sort(compare).find((database) => !named.has(database)) ?? null;
}

/** Whether the list grants `action` on `database` (`*` grants every database). */
export function grants(
  permissions: readonly Permission[],
  action: PermissionAction,
  database: string,
): boolean {
  return permissions.some(
    (p) => p.action === action && (p.resource === '*' || p.resource === database),
  );
}

function scoped(named: string[], clusterDatabases: readonly string[], scope: ProbeScope): string[] {
  const own = new Set(named);
  const others = clusterDatabases.filter((db) => !own.has(db) && db !== scope.canary);
  const sample = others
    .map((database) => ({ database, rank: rank(scope.tokenName, database) }))
    .sort((a, b) => compare(a.rank, b.rank))
    .slice(0, scope.sample)
    .map((entry) => entry.database);
  return scope.canary === null ? sample : [...sample, scope.canary];
}

// A stable pseudo-random order per token: the same probes on every run and every machine.
function rank(tokenName: string, database: string): string {
  return createHash('sha256').update(`${tokenName}\0${database}`).digest('hex');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
