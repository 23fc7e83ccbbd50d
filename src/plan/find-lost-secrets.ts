import type { DatabaseToken } from '../model/index.js';
import { classifyTokens } from './classify-tokens.js';

/** What the secrets index tells the planner (the shape of `SecretsIndex`). */
export interface SealedEvidence {
  /** Ids of tokens whose strings are sealed in a secrets file. */
  sealedTokenIds: ReadonlySet<string>;
  /** Creates that were about to be sent and never resolved (sealed, or known to have failed). */
  unresolvedIntents: readonly { name: string; at: string }[];
}

/** How far a token's `createdAt` may stray from its intent: client and server clocks differ. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * How long after its intent a create may still commit. The executor enforces it: a create
 * that waits longer for an API slot writes a fresh intent first, and the request itself is
 * cut off at this deadline (`createTokenSealed`).
 */
export const INTENT_SPAN_MS = 10 * 60_000;

/**
 * Ids of current managed tokens whose string was lost: not sealed anywhere, and created
 * while an unresolved intent for their name could still commit (an apply died between the
 * API's answer and the seal). Such a token can only be replaced. A token created outside
 * every such window was made by someone else (by hand, then imported, say): no intent claims
 * it, however old the intent.
 */
export function findLostSecrets(index: SealedEvidence, actual: readonly DatabaseToken[]): string[] {
  if (index.unresolvedIntents.length === 0) return [];
  const intentTimes = new Map<string, number[]>();
  for (const intent of index.unresolvedIntents) {
    const at = Date.parse(intent.at);
    if (Number.isNaN(at)) continue;
    const times = intentTimes.get(intent.name);
    if (times === undefined) intentTimes.set(intent.name, [at]);
    else times.push(at);
  }
  const lost: string[] = [];
  for (const [name, group] of classifyTokens(actual).current) {
    const times = intentTimes.get(name);
    if (times === undefined) continue;
    for (const { token } of group) {
      if (index.sealedTokenIds.has(token.id)) continue;
      const createdAt = Date.parse(token.createdAt);
      if (times.some((at) => couldHaveMade(at, createdAt))) lost.push(token.id);
    }
  }
  return lost.sort();
}

function couldHaveMade(intentAt: number, createdAt: number): boolean {
  return (
    createdAt >= intentAt - CLOCK_SKEW_MS && createdAt <= intentAt + INTENT_SPAN_MS + CLOCK_SKEW_MS
  );
}
