import type { DesiredToken } from '../manifest/types.js';
import type { ManagedToken } from './classify-tokens.js';
import { desiredSnapshot, tokenSnapshot } from './diff-token.js';
import type { PlannedChange, PlanProblem } from './types.js';

/** A create; `revoked-elsewhere` when the token's only trace is a revoked one. */
export function createChange(
  token: DesiredToken,
  revokedNames: ReadonlySet<string>,
): PlannedChange {
  const revoked = [token.name, ...token.previousNames].some((name) => revokedNames.has(name));
  return {
    name: token.name,
    team: token.team,
    action: 'create',
    actions: ['create'],
    reasonCode: revoked ? 'revoked-elsewhere' : 'missing',
    reason: revoked ? 'revoked outside provision; creating it again' : 'not in the cluster',
    before: null,
    after: desiredSnapshot(token),
    source: token.source,
  };
}

/** Revokes every token but the newest that claims one name. */
export function revokeDuplicates(
  name: string,
  team: string | null,
  total: number,
  extra: readonly ManagedToken[],
  declared?: DesiredToken,
): PlannedChange[] {
  const names =
    declared !== undefined && declared.previousNames.length > 0
      ? `name ${name} (or a previous name)`
      : `name ${name}`;
  const reason = `${total} tokens claim ${names}; keeping the newest, revoking ${extra.length}`;
  return extra.map((token) => revoke(name, team, token, 'duplicate', reason, declared));
}

/** A revoke of one live token. */
export function revoke(
  name: string,
  team: string | null,
  token: ManagedToken,
  reasonCode: 'duplicate' | 'not-declared' | 'overlap-ended',
  reason: string,
  declared?: DesiredToken,
): PlannedChange {
  const change: PlannedChange = {
    name,
    team,
    action: 'revoke',
    actions: ['delete'],
    reasonCode,
    reason,
    before: tokenSnapshot(token.token),
    after: null,
  };
  if (declared !== undefined) change.source = declared.source;
  return change;
}

/** Duplicates of a protected token: provision revokes none of them. */
export function protectedDuplicates(token: DesiredToken, extra: number): PlanProblem {
  return {
    message: `token "${token.name}" is protected (protect: true) but ${extra + 1} tokens claim its name and the plan would revoke ${extra}`,
    hint: 'revoke the extra tokens by hand, or remove protect: true',
    source: token.source,
  };
}
