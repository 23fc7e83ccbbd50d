import type { PermissionAction } from '../model/index.js';
import type { ExpansionBudget, Grant } from './expansion-types.js';
import type { Locate } from './locate-node.js';
import type { PermissionSetSpec } from './types.js';

/** Set name → everything it grants, includes followed, each database once per action. */
export type SetResolver = (name: string) => readonly Grant[];

interface Frame {
  name: string;
  next: number;
}

/**
 * Resolves permission sets lazily and once each, without recursion (an include chain
 * thousands of sets long must not overflow the stack). Undefined sets and include cycles
 * resolve to what could be reached: the set rules report them, expansion must not loop.
 */
export function createSetResolver(
  sets: Readonly<Record<string, PermissionSetSpec>>,
  locate: Locate,
  budget: ExpansionBudget,
): SetResolver {
  const resolved = new Map<string, readonly Grant[]>();
  const open = new Set<string>();
  const isDeclared = (name: string): boolean => Object.hasOwn(sets, name);

  return (start) => {
    if (!isDeclared(start)) return [];
    const stack: Frame[] = [];
    const enter = (name: string): void => {
      if (resolved.has(name) || open.has(name) || !isDeclared(name)) return;
      open.add(name);
      stack.push({ name, next: 0 });
    };
    enter(start);
    for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
      const includes = sets[frame.name]?.include ?? [];
      const included = includes[frame.next];
      if (included !== undefined) {
        frame.next += 1;
        enter(included);
        continue;
      }
      stack.pop();
      open.delete(frame.name);
      resolved.set(frame.name, ownAndIncluded(frame.name));
    }
    return resolved.get(start) ?? [];
  };

  function ownAndIncluded(name: string): Grant[] {
    const set = sets[name] ?? {};
    const grants: Grant[] = [];
    const seen = new Set<string>();
    const add = (grant: Grant): void => {
      const key = `${grant.action}:${grant.resource}`;
      if (seen.has(key) || !spend(budget)) return;
      seen.add(key);
      grants.push(grant);
    };
    for (const action of ['read', 'write'] as const satisfies PermissionAction[]) {
      (set[action] ?? []).forEach((resource, index) => {
        add({ action, resource, at: locate(['permissionSets', name, action, index]), via: null });
      });
    }
    for (const included of set.include ?? []) (resolved.get(included) ?? []).forEach(add);
    return grants;
  }
}

/** Takes one grant from the budget; `false` once it is spent. */
export function spend(budget: ExpansionBudget): boolean {
  if (budget.grantsLeft <= 0) {
    budget.exhausted = true;
    return false;
  }
  budget.grantsLeft -= 1;
  return true;
}
