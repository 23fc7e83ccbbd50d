import type { Permission } from '../api/types.js';
import { normalisePermissions } from '../manifest/normalise-permissions.js';

/**
 * A canonical string for a permission list read as a set: order, duplicates and names that
 * a `*` already covers never make two lists differ.
 */
export function permissionKey(permissions: readonly Permission[]): string {
  return normalisePermissions([...permissions])
    .map((permission) => `${permission.action}:${permission.resource}`)
    .join(',');
}

/** Whether two permission lists grant the same thing. */
export function samePermissions(a: readonly Permission[], b: readonly Permission[]): boolean {
  return permissionKey(a) === permissionKey(b);
}
