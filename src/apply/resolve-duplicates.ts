import { setTimeout as sleep } from 'node:timers/promises';
import type { LimitFunction } from 'p-limit';
import { isNotFound } from '../api/index.js';
import type { DatabaseToken } from '../model/index.js';
import type { ManagementApi } from '../api/index.js';
import { chooseKeeper } from '../plan/index.js';
import { parseMarker } from '../plan/index.js';
import type { ApplyEvent, ChangeResult } from './types.js';
import { describeError } from '../errors.js';

interface DuplicateResolverOptions {
  client: ManagementApi;
  /** How long a token list may lag behind a create. */
  settleMs: number;
  limit: LimitFunction;
  /** Ids whose strings the planning evidence found sealed. */
  sealedTokenIds: ReadonlySet<string>;
  /** Ids of every token the plan saw for a name: the plan, not the sweep, decides about them. */
  plannedTokenIds: ReadonlySet<string>;
}

/**
 * The last step of an apply that created tokens: list once more and, for every name it
 * created, keep one token by the planner's own rule (`chooseKeeper`) and revoke the rest.
 * Only tokens that appeared during this apply are looked at; those the plan saw were
 * decided by the plan (an old token in its overlap is never a duplicate here).
 *
 * Custody: a token is held when its string is sealed (the planning evidence, or by this
 * apply). For a name whose create came back with an unknown outcome (or whose seal failed),
 * any other new token may be our own stray whose string no one holds: only sealed ones count
 * as held, and if none is, every new token of the name is revoked (the change has already
 * failed). For any other name, a new token we did not make was made by someone else, a
 * concurrent apply say, who holds its string in a file we cannot read: it counts as held,
 * so both applies pick the same newest token and exactly one survives.
 */
export function createDuplicateResolver(options: DuplicateResolverOptions) {
  const names = new Map<string, string | null>();
  const unsure = new Set<string>();
  const sealedHere = new Set<string>();
  let lastAmbiguousAt: number | undefined;
  let revoked = 0;

  const isHeld = (name: string) => (token: DatabaseToken) =>
    sealedHere.has(token.id) || options.sealedTokenIds.has(token.id) || !unsure.has(name);

  return {
    /** A token of `name` was created and its string sealed. */
    noteCreated(name: string, team: string | null, tokenId: string): void {
      names.set(name, team);
      sealedHere.add(tokenId);
    },
    /** A create of `name` may have made a token whose string never reached us. */
    noteAmbiguous(name: string, team: string | null): void {
      names.set(name, team);
      unsure.add(name);
      lastAmbiguousAt = Date.now();
    },
    reconciliations(): number {
      return revoked;
    },
    /** Resolves with the failures, already emitted as `result` events; never rejects. */
    async sweep(emit: (event: ApplyEvent) => void): Promise<ChangeResult[]> {
      if (names.size === 0) return [];
      const failures: ChangeResult[] = [];
      const fail = (result: ChangeResult): void => {
        failures.push(result);
        emit({ type: 'result', result });
      };
      // A lost create's token may not be listed yet: give the list time to catch up.
      if (lastAmbiguousAt !== undefined) {
        const wait = lastAmbiguousAt + options.settleMs - Date.now();
        if (wait > 0) await sleep(wait);
      }
      let tokens: DatabaseToken[];
      try {
        tokens = await options.limit(() => options.client.listTokens());
      } catch (error) {
        for (const failure of listFailures(names, unsure, describeError(error))) fail(failure);
        return failures;
      }
      await Promise.all(
        sweepTargets(tokens, names, options.plannedTokenIds, isHeld).map(
          async ({ name, token }) => {
            const team = names.get(name) ?? null;
            emit({ type: 'reconcile', name, team, found: 1 });
            try {
              await options.limit(() => options.client.revokeToken(token.id));
              revoked += 1;
            } catch (error) {
              if (isNotFound(error)) return;
              fail({
                name,
                team,
                action: 'revoke',
                status: 'failed',
                tokenId: token.id,
                error: `could not revoke a token whose string no file of this apply holds: ${describeError(error)}`,
              });
            }
          },
        ),
      );
      return failures;
    },
  };
}

/** New live, current tokens of the swept names that the rule does not keep. */
function sweepTargets(
  tokens: readonly DatabaseToken[],
  names: ReadonlyMap<string, string | null>,
  planned: ReadonlySet<string>,
  isHeld: (name: string) => (token: DatabaseToken) => boolean,
): { name: string; token: DatabaseToken }[] {
  const byName = new Map<string, DatabaseToken[]>();
  for (const token of tokens) {
    if (token.revokedAt !== undefined || planned.has(token.id)) continue;
    const marker = parseMarker(token.description);
    if (marker === null || marker.retireAt !== undefined || !names.has(marker.name)) continue;
    const group = byName.get(marker.name);
    if (group === undefined) byName.set(marker.name, [token]);
    else group.push(token);
  }
  const targets: { name: string; token: DatabaseToken }[] = [];
  for (const [name, group] of byName) {
    const choice = chooseKeeper(group, (token) => token, isHeld(name));
    // No token of the name is held: none of them may stay live.
    if (!choice.keeperHeld && choice.keeper !== undefined)
      targets.push({ name, token: choice.keeper });
    for (const token of choice.extra) targets.push({ name, token });
  }
  return targets;
}

/**
 * The sweep could not list: each name whose create had an unknown outcome may keep a token
 * whose string no one holds, so each is reported; without such a name only a concurrent
 * apply's duplicate can be missed, which the next plan resolves, and one line says so.
 */
function listFailures(
  names: ReadonlyMap<string, string | null>,
  unsure: ReadonlySet<string>,
  why: string,
): ChangeResult[] {
  const failed = (name: string, team: string | null, what: string): ChangeResult => ({
    name,
    team,
    action: 'revoke',
    status: 'failed',
    error: `could not list the tokens to ${what}: ${why}; the next plan does it`,
  });
  const risky = [...unsure].sort();
  if (risky.length > 0) {
    return risky.map((name) =>
      failed(name, names.get(name) ?? null, 'revoke any whose create response was lost'),
    );
  }
  const [first] = [...names.keys()].sort();
  return first === undefined
    ? []
    : [failed(first, names.get(first) ?? null, `check ${names.size} created names for duplicates`)];
}
