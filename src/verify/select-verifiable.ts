import type { DatabaseToken } from '../model/index.js';
import type { DesiredToken } from '../manifest/index.js';
import { parseMarker } from '../plan/index.js';
import type { SealedEntry, VerifyCandidate } from './types.js';

/**
 * Decides, for every declared token, which sealed string to probe: the latest sealed string
 * of a live token that carries the token's name (or one of its previous names, before the
 * rename is applied) in its marker. A declared token with a live token but no sealed string
 * is `not-sealed`; one with no live token at all is `not-in-cluster`. Pure.
 */
export function selectVerifiable(
  desired: readonly DesiredToken[],
  sealed: readonly SealedEntry[],
  actual: readonly DatabaseToken[],
): VerifyCandidate[] {
  const liveByName = new Map<string, DatabaseToken[]>();
  for (const token of actual) {
    if (token.revokedAt !== undefined) continue;
    const marker = parseMarker(token.description);
    if (marker === null) continue;
    const group = liveByName.get(marker.name);
    if (group === undefined) liveByName.set(marker.name, [token]);
    else group.push(token);
  }
  const latestById = new Map<string, SealedEntry>();
  for (const entry of sealed) {
    const seen = latestById.get(entry.tokenId);
    if (seen === undefined || Date.parse(entry.sealedAt) >= Date.parse(seen.sealedAt))
      latestById.set(entry.tokenId, entry);
  }

  return desired.map((token): VerifyCandidate => {
    const { name, team } = token;
    const live = [name, ...token.previousNames].flatMap((n) => liveByName.get(n) ?? []);
    let best: SealedEntry | undefined;
    for (const candidate of live) {
      const entry = latestById.get(candidate.id);
      if (entry === undefined) continue;
      if (best === undefined || Date.parse(entry.sealedAt) > Date.parse(best.sealedAt))
        best = entry;
    }
    if (best !== undefined)
      return { kind: 'verifiable', name, team, tokenId: best.tokenId, file: best.file };
    if (live.length === 0)
      return { kind: 'not-verifiable', name, team, tokenId: null, reason: 'not-in-cluster' };
    const newest = [...live].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
    return {
      kind: 'not-verifiable',
      name,
      team,
      tokenId: newest?.id ?? null,
      reason: 'not-sealed',
    };
  });
}
