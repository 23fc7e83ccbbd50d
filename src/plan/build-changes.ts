import type { DesiredToken } from '../manifest/index.js';
import type { IsHeld, KeeperChoice } from './choose-keeper.js';
import type { ManagedToken } from './classify-tokens.js';
import { desiredSnapshot, tokenSnapshot } from './diff-token.js';
import { toSecondsIso, withRetireMarker } from './marker.js';
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

/** What deciding the fate of a name's extra tokens needs besides the tokens. */
export interface ExtrasContext {
  isHeld: IsHeld;
  now: Date;
}

/**
 * The tokens beside the keeper of one name (see `chooseKeeper`). Each is revoked as a
 * duplicate, except a sealed one beside a sealed keeper when the manifest gives an overlap:
 * that is a rotation cut short between sealing its successor and retiring it (a crash, a
 * failed PATCH), so it keeps the overlap its rotation promised, counted from the successor.
 */
export function resolveExtras(
  name: string,
  team: string | null,
  choice: KeeperChoice<ManagedToken>,
  context: ExtrasContext,
  declared?: DesiredToken,
): PlannedChange[] {
  const { keeper, extra } = choice;
  if (keeper === undefined || extra.length === 0) return [];
  const overlap = declared?.overlap ?? null;
  const retiring =
    overlap !== null && choice.keeperHeld
      ? extra.filter((token) => context.isHeld(token.token))
      : [];
  const kept = new Set(retiring);
  const duplicates = extra.filter((token) => !kept.has(token));
  const changes: PlannedChange[] = [];
  if (duplicates.length > 0) {
    const names =
      declared !== undefined && declared.previousNames.length > 0
        ? `name ${name} (or a previous name)`
        : `name ${name}`;
    const keeping = choice.keeperHeld ? 'the one whose string is sealed' : 'the newest';
    const reason = `${extra.length + 1} tokens claim ${names}; keeping ${keeping}, revoking ${duplicates.length}`;
    for (const token of duplicates)
      changes.push(revoke(name, team, token, 'duplicate', reason, declared));
  }
  if (overlap === null || retiring.length === 0) return changes;
  const retireAt = toSecondsIso(new Date(Date.parse(keeper.token.createdAt) + overlap.ms));
  for (const token of retiring) {
    if (Date.parse(retireAt) <= context.now.getTime()) {
      changes.push(
        revoke(name, team, token, 'overlap-ended', `overlap ended at ${retireAt}`, declared),
      );
    } else changes.push(retireInterrupted(name, team, token, retireAt, declared));
  }
  return changes;
}

/** Marks the predecessor of an interrupted rotation as retiring (a description PATCH). */
function retireInterrupted(
  name: string,
  team: string | null,
  token: ManagedToken,
  retireAt: string,
  declared?: DesiredToken,
): PlannedChange {
  const description = withRetireMarker(token.human, name, retireAt);
  const change: PlannedChange = {
    name,
    team,
    action: 'update',
    actions: ['update'],
    reasonCode: 'rotation-interrupted',
    reason: `a rotation was cut short before it retired this token; kept until ${retireAt} (its overlap)`,
    before: tokenSnapshot(token.token),
    after: {
      description,
      permissions: token.token.permissions.map((permission) => ({ ...permission })),
    },
    patch: { description },
  };
  if (declared !== undefined) change.source = declared.source;
  return change;
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
