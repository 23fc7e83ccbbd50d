import type { Permission, PermissionAction } from '../api/types.js';
import type { ProbeSpec } from './types.js';

/**
 * The probes that show a token grants exactly its declared permissions: every database of
 * the cluster (so access the manifest does not grant is caught too, e.g. a database added by
 * a PATCH behind provision's back) and every database the token names (a missing one is
 * found out). Reads always; writes only when asked (`--write-probe`). Sorted by database,
 * read before write. Pure.
 */
export function buildProbes(
  permissions: readonly Permission[],
  clusterDatabases: readonly string[],
  options: { writeProbe: boolean },
): ProbeSpec[] {
  const named = permissions.map((p) => p.resource).filter((resource) => resource !== '*');
  const databases = [...new Set([...clusterDatabases, ...named])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const actions: PermissionAction[] = options.writeProbe ? ['read', 'write'] : ['read'];
  return databases.flatMap((database) =>
    actions.map((action) => ({
      database,
      action,
      expected: grants(permissions, action, database) ? 'granted' : 'denied',
    })),
  );
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
