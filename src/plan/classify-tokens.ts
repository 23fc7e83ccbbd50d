import type { DatabaseToken } from '../model/index.js';
import { parseMarker } from './marker.js';

/** A live token that carries a provision marker. */
export interface ManagedToken {
  token: DatabaseToken;
  /** The name in its marker. */
  name: string;
  /** Its description without the marker. */
  human: string;
}

/** A live token kept during its overlap window after a replace. */
export interface RetiringManagedToken extends ManagedToken {
  retireAt: string;
}

/** The cluster's tokens, sorted into what the planner treats differently. */
export interface ClassifiedTokens {
  /** Live tokens without a marker: never touched. */
  unmanaged: DatabaseToken[];
  /** Live managed tokens without `retire=`, grouped by marker name (a group > 1 is duplicates). */
  current: Map<string, ManagedToken[]>;
  retiring: RetiringManagedToken[];
  /** Names whose current (non-retiring) token was revoked: "revoked outside provision". */
  revokedNames: Set<string>;
}

/** Splits the listed tokens by marker and revocation. */
export function classifyTokens(actual: readonly DatabaseToken[]): ClassifiedTokens {
  const result: ClassifiedTokens = {
    unmanaged: [],
    current: new Map(),
    retiring: [],
    revokedNames: new Set(),
  };
  for (const token of actual) {
    const marker = parseMarker(token.description);
    if (token.revokedAt !== undefined) {
      // Revoked tokens are history; a revoked retiring token is just an overlap that ended.
      if (marker !== null && marker.retireAt === undefined) result.revokedNames.add(marker.name);
      continue;
    }
    if (marker === null) {
      result.unmanaged.push(token);
    } else if (marker.retireAt !== undefined) {
      result.retiring.push({
        token,
        name: marker.name,
        human: marker.human,
        retireAt: marker.retireAt,
      });
    } else {
      const managed: ManagedToken = { token, name: marker.name, human: marker.human };
      const group = result.current.get(marker.name);
      if (group === undefined) result.current.set(marker.name, [managed]);
      else group.push(managed);
    }
  }
  return result;
}
