import type { Permission } from '../model/index.js';

/**
 * Puts permissions in their canonical form so that two lists granting the same access are
 * equal: duplicates removed, named databases dropped where the same action already has
 * `*`, sorted by action then resource (plain code-unit order, independent of locale).
 * Accepts any action string the API returns; unknown actions are kept as they are.
 */
export function normalisePermissions(perms: readonly Permission[]): Permission[] {
  const resourcesByAction = new Map<Permission['action'], Set<string>>();
  for (const { action, resource } of perms) {
    let resources = resourcesByAction.get(action);
    if (resources === undefined) {
      resources = new Set();
      resourcesByAction.set(action, resources);
    }
    resources.add(resource);
  }
  const result: Permission[] = [];
  for (const [action, resources] of resourcesByAction) {
    // `*` means every database, present and future: named ones add nothing to it.
    const kept = resources.has('*') ? ['*'] : [...resources];
    for (const resource of kept) result.push({ action, resource });
  }
  return result.sort(compareByActionThenResource);
}

function compareByActionThenResource(a: Permission, b: Permission): number {
  if (a.action !== b.action) return a.action < b.action ? -1 : 1;
  if (a.resource !== b.resource) return a.resource < b.resource ? -1 : 1;
  return 0;
}
