import { setTimeout as sleep } from 'node:timers/promises';
import type { LimitFunction } from 'p-limit';
import { isNotFound } from '../api/errors.js';
import type { DatabaseToken, ManagementApi } from '../api/types.js';
import { parseMarker } from '../plan/marker.js';
import type { ApplyEvent, ChangeResult } from './types.js';

interface OrphanFinderOptions {
  client: ManagementApi;
  /** Every token id the plan saw: none of them can be left over from this apply. */
  knownIds: Set<string>;
  settleMs: number;
  limit: LimitFunction;
}

/**
 * Tracks creates whose outcome was unknown and, once the token list has had time to catch
 * up, revokes the tokens they may have left behind: live, marked with a name this apply
 * created again, and neither seen by the plan nor sealed here. Their strings never reached
 * us, so they can only be revoked.
 */
export function createOrphanFinder(options: OrphanFinderOptions) {
  const ambiguousNames = new Set<string>();
  const sealedIds = new Set<string>();
  let lastAmbiguousAt = 0;
  let revoked = 0;

  return {
    noteAmbiguous(name: string): void {
      ambiguousNames.add(name);
      lastAmbiguousAt = Date.now();
    },
    noteSealed(tokenId: string): void {
      sealedIds.add(tokenId);
    },
    reconciliations(): number {
      return revoked;
    },
    async sweep(emit: (event: ApplyEvent) => void): Promise<ChangeResult[]> {
      if (ambiguousNames.size === 0) return [];
      const wait = lastAmbiguousAt + options.settleMs - Date.now();
      if (wait > 0) await sleep(wait);
      const tokens = await options.limit(() => options.client.listTokens());
      const failures: ChangeResult[] = [];
      await Promise.all(
        tokens.filter(isOrphan).map(async (token) => {
          const name = parseMarker(token.description)?.name ?? '';
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
              error: `could not revoke a token left by an interrupted create: ${why}`,
            });
          }
        }),
      );
      return failures;
    },
  };

  function isOrphan(token: DatabaseToken): boolean {
    if (token.revokedAt !== undefined) return false;
    if (options.knownIds.has(token.id) || sealedIds.has(token.id)) return false;
    const marker = parseMarker(token.description);
    return marker !== null && marker.retireAt === undefined && ambiguousNames.has(marker.name);
  }
}
