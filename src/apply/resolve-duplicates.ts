import { setTimeout as sleep } from 'node:timers/promises';
import type { LimitFunction } from 'p-limit';
import { isNotFound } from '../api/errors.js';
import type { DatabaseToken, ManagementApi } from '../api/types.js';
import { parseMarker } from '../plan/marker.js';
import type { ApplyEvent, ChangeResult } from './types.js';

interface DuplicateResolverOptions {
  client: ManagementApi;
  /** How long a token list may lag behind a create. */
  settleMs: number;
  limit: LimitFunction;
}

/**
 * The last step of an apply that created tokens: list once more and, for every name it
 * created, keep only the newest live token (by `createdAt`, then id) and revoke the rest.
 *
 * Two sources of extra tokens meet here. A create whose response was lost may have left a
 * token whose string never reached us; it is always older than the one created again and
 * sealed. And two applies running at once may both create a name; each ends with this
 * sweep, both pick the same newest token, so exactly one survives whichever finishes last.
 */
export function createDuplicateResolver(options: DuplicateResolverOptions) {
  const names = new Set<string>();
  let lastAmbiguousAt: number | undefined;
  let revoked = 0;

  return {
    noteCreated(name: string): void {
      names.add(name);
    },
    noteAmbiguous(name: string): void {
      names.add(name);
      lastAmbiguousAt = Date.now();
    },
    reconciliations(): number {
      return revoked;
    },
    async sweep(emit: (event: ApplyEvent) => void): Promise<ChangeResult[]> {
      if (names.size === 0) return [];
      // A lost create's token may not be listed yet: give the list time to catch up.
      if (lastAmbiguousAt !== undefined) {
        const wait = lastAmbiguousAt + options.settleMs - Date.now();
        if (wait > 0) await sleep(wait);
      }
      const tokens = await options.limit(() => options.client.listTokens());
      const failures: ChangeResult[] = [];
      await Promise.all(
        extraTokens(tokens, names).map(async ({ name, token }) => {
          emit({ type: 'reconcile', name, team: null, found: 1 });
          try {
            await options.limit(() => options.client.revokeToken(token.id));
            revoked += 1;
          } catch (error) {
            if (isNotFound(error)) return;
            const why = error instanceof Error ? error.message : String(error);
            failures.push({
              name,
              team: null,
              action: 'revoke',
              status: 'failed',
              tokenId: token.id,
              error: `could not revoke a duplicate token: ${why}`,
            });
          }
        }),
      );
      return failures;
    },
  };
}

/** Live, current (not retiring) tokens of the given names beyond the newest of each. */
function extraTokens(
  tokens: DatabaseToken[],
  names: Set<string>,
): { name: string; token: DatabaseToken }[] {
  const byName = new Map<string, DatabaseToken[]>();
  for (const token of tokens) {
    if (token.revokedAt !== undefined) continue;
    const marker = parseMarker(token.description);
    if (marker === null || marker.retireAt !== undefined || !names.has(marker.name)) continue;
    byName.set(marker.name, [...(byName.get(marker.name) ?? []), token]);
  }
  const extra: { name: string; token: DatabaseToken }[] = [];
  for (const [name, group] of byName) {
    group.sort(newestFirst);
    for (const token of group.slice(1)) extra.push({ name, token });
  }
  return extra;
}

function newestFirst(a: DatabaseToken, b: DatabaseToken): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return byTime !== 0 ? byTime : b.id.localeCompare(a.id);
}
