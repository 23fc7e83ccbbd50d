import type { Permission } from '../model/index.js';
import { normalisePermissions } from '../manifest/index.js';

/**
 * A canonical string for a permission list read as a set: order, duplicates and names that
 * a `*` already covers never make two lists differ.
 */
export function permissionKey(permissions: readonly Permission[]): string {
  // Most lists (every desired one, and every one provision wrote) are canonical already:
  // skip the copy and sort that dominate planning 10 000 tokens.
  const canonical = isCanonical(permissions) ? permissions : normalisePermissions(permissions);
  let key = '';
  for (const permission of canonical) key += `${permission.action}:${permission.resource},`;
  return key;
}

/** Whether two permission lists grant the same thing. */
export function samePermissions(a: readonly Permission[], b: readonly Permission[]): boolean {
  return permissionKey(a) === permissionKey(b);
}

/** Whether `normalisePermissions` would return the list unchanged. */
function isCanonical(permissions: readonly Permission[]): boolean {
  for (let i = 1; i < permissions.length; i++) {
    const previous = permissions[i - 1] as Permission;
    const current = permissions[i] as Permission;
    if (previous.action < current.action) continue;
    if (previous.action > current.action) return false;
    // Same action: strictly increasing resources, and `*` never beside a named database.
    if (previous.resource >= current.resource) return false;
    if (previous.resource === '*' || current.resource === '*') return false;
  }
  return true;
}
