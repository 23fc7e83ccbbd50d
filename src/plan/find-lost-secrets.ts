import type { DatabaseToken } from '../api/types.js';
import { classifyTokens } from './classify-tokens.js';

/** What the secrets index tells the planner (the shape of `SecretsIndex`). */
export interface SealedEvidence {
  /** Ids of tokens whose strings are sealed in a secrets file. */
  sealedTokenIds: ReadonlySet<string>;
  /** Creates that were about to be sent and never resolved (sealed, or known to have failed). */
  unresolvedIntents: readonly { name: string; at: string }[];
}

/** How far a token's `createdAt` may trail its intent: client and server clocks differ. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Ids of current managed tokens whose string was lost: not sealed anywhere, and created
 * after an unresolved intent for their name was written (an apply died between the API's
 * answer and the seal). Such a token can only be replaced.
 */
export function findLostSecrets(index: SealedEvidence, actual: readonly DatabaseToken[]): string[] {
  if (index.unresolvedIntents.length === 0) return [];
  const earliestIntent = new Map<string, number>();
  for (const intent of index.unresolvedIntents) {
    const at = Date.parse(intent.at);
    if (Number.isNaN(at)) continue;
    const known = earliestIntent.get(intent.name);
    if (known === undefined || at < known) earliestIntent.set(intent.name, at);
  }
  const lost: string[] = [];
  for (const [name, group] of classifyTokens(actual).current) {
    const intentAt = earliestIntent.get(name);
    if (intentAt === undefined) continue;
    for (const { token } of group) {
      if (index.sealedTokenIds.has(token.id)) continue;
      if (intentAt <= Date.parse(token.createdAt) + CLOCK_SKEW_MS) lost.push(token.id);
    }
  }
  return lost.sort();
}
