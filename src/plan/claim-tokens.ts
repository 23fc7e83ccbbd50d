import type { DesiredToken } from '../manifest/index.js';
import type { ManagedToken } from './classify-tokens.js';

/** Which current tokens each declared token owns, and which no declared token owns. */
export interface Claims {
  /** Same order as the desired tokens: the current tokens under its name or previous names. */
  byDesired: ManagedToken[][];
  /** Current tokens whose name no declared token uses, by marker name. */
  undeclared: Map<string, ManagedToken[]>;
}

/**
 * A declared token owns the current tokens under its name and its `previousNames` (a rename
 * is a PATCH, never revoke + create). A token's own name always wins over another token's
 * previous name, so a name reused after a rename is not stolen.
 */
export function claimTokens(
  desired: readonly DesiredToken[],
  current: ReadonlyMap<string, ManagedToken[]>,
): Claims {
  const owner = new Map<string, number>();
  desired.forEach((token, index) => {
    if (!owner.has(token.name)) owner.set(token.name, index);
  });
  desired.forEach((token, index) => {
    for (const previous of token.previousNames)
      if (!owner.has(previous)) owner.set(previous, index);
  });
  const byDesired: ManagedToken[][] = desired.map(() => []);
  const undeclared = new Map<string, ManagedToken[]>();
  for (const [name, group] of current) {
    const index = owner.get(name);
    if (index === undefined) undeclared.set(name, group);
    else {
      // A loop, not push(...group): a name may carry more tokens than the stack has room for.
      const owned = byDesired[index];
      if (owned !== undefined) for (const token of group) owned.push(token);
    }
  }
  return { byDesired, undeclared };
}
