import type { DatabaseToken } from '../model/index.js';

/** Whether someone holds a token's string: its id is sealed in a secrets file we can read. */
export type IsHeld = (token: DatabaseToken) => boolean;

/** Which token of one name stays, and the rest. */
export interface KeeperChoice<T> {
  /** `undefined` only for an empty group. */
  keeper: T | undefined;
  /** Whether the keeper's string is held. `false`: no token of the group is held. */
  keeperHeld: boolean;
  /** Every other token, best first. */
  extra: T[];
}

/**
 * The one rule for "which token of a name is kept", used by the planner and by the apply's
 * final sweep alike (README, "Custody decides identity"; docs/ARCHITECTURE.md):
 *
 * 1. a token whose string is held (sealed in a secrets file) beats one whose string no one
 *    holds, whatever their times;
 * 2. among tokens of equal custody, the newest `createdAt` wins;
 * 3. equal times (the service may round them to the second) fall to the greater id, so every
 *    machine with the same evidence keeps the same token; a tie never favours an unheld token,
 *    because rule 1 has already separated them.
 *
 * Timestamps alone never choose: they only order tokens whose custody is the same.
 */
export function chooseKeeper<T>(
  group: readonly T[],
  tokenOf: (item: T) => DatabaseToken,
  isHeld: IsHeld,
): KeeperChoice<T> {
  // Keys are computed once: a name may have a great many tokens (a runaway script).
  const ranked = group.map((item) => {
    const token = tokenOf(item);
    return { item, held: isHeld(token), time: timeOf(token.createdAt), id: token.id };
  });
  ranked.sort((a, b) => {
    if (a.held !== b.held) return a.held ? -1 : 1;
    if (a.time !== b.time) return b.time - a.time;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  });
  const [first, ...rest] = ranked;
  return {
    keeper: first?.item,
    keeperHeld: first?.held === true,
    extra: rest.map((entry) => entry.item),
  };
}

function timeOf(instant: string): number {
  const ms = Date.parse(instant);
  // An unreadable time sorts as the oldest, so a well-formed token is kept over it.
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
