import type { PermissionAction } from '../model/index.js';
import type { ExpansionBudget, Grant } from './expansion-types.js';
import type { Locate, PathSegment } from './locate-node.js';
import { spend } from './resolve-permission-sets.js';
import type { SetResolver } from './resolve-permission-sets.js';
import { substitutePlaceholders } from './substitute-placeholders.js';
import type { PlaceholderValues } from './substitute-placeholders.js';
import type { TokenFieldsSpec } from './types.js';

/** What grant collection needs from the expansion under way. */
export interface GrantContext {
  locate: Locate;
  budget: ExpansionBudget;
  resolveSet: SetResolver;
}

const ACTIONS = ['read', 'write'] as const satisfies PermissionAction[];

/**
 * The `read`/`write` entries of a token or template, each turned into the databases it
 * stands for by `fill` (itself, for a token), positioned at the entry.
 */
export function inlineGrants(
  spec: TokenFieldsSpec,
  path: readonly PathSegment[],
  ctx: GrantContext,
  fill: (written: string) => string[] = (written) => [written],
): Grant[] {
  const grants: Grant[] = [];
  for (const action of ACTIONS) {
    (spec[action] ?? []).forEach((written, index) => {
      const at = ctx.locate([...path, action, index]);
      for (const resource of fill(written)) {
        if (spend(ctx.budget)) grants.push({ action, resource, at, via: null });
      }
    });
  }
  return grants;
}

/** Everything the `sets:` entries grant, each marked with the entry that asked for it. */
export function setGrants(
  spec: TokenFieldsSpec,
  path: readonly PathSegment[],
  ctx: GrantContext,
): Grant[] {
  const grants: Grant[] = [];
  (spec.sets ?? []).forEach((set, index) => {
    const via = { set, at: ctx.locate([...path, 'sets', index]) };
    for (const grant of ctx.resolveSet(set)) if (spend(ctx.budget)) grants.push({ ...grant, via });
  });
  return grants;
}

/**
 * Fills a template's list entry for one team (and database). With per: team, an entry
 * holding `{database}` stands for every database of the team.
 */
export function templateEntryFiller(
  team: string,
  databases: readonly string[],
  values: PlaceholderValues,
): (written: string) => string[] {
  return (written) => {
    if (values.database !== undefined || !written.includes('{database}')) {
      return [substitutePlaceholders(written, values, 'text')];
    }
    return databases.map((database) => substitutePlaceholders(written, { team, database }, 'text'));
  };
}
