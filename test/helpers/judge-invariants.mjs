// The three apply invariants as one pure judgement, shared by the tests (helpers/invariants.ts,
// on the emulator's state and src/) and the benchmarks (bench/lib/invariants.mjs, on a listed
// cluster and dist/). Plain JavaScript so that the benches, which run without a compiler, can
// import it; its types are in judge-invariants.d.mts.

/**
 * `tokens`: every token the cluster holds; `sealedIds`: ids whose strings are sealed (and,
 * where the caller can check, really are that token's); `unmanagedBefore`: unmanaged tokens
 * as they were before the apply; `parseMarker`: the planner's marker parser.
 */
export function judgeInvariants({ tokens, sealedIds, unmanagedBefore, parseMarker }) {
  const live = tokens.filter((token) => token.revokedAt === undefined);
  const perName = new Map();
  const unsealed = [];
  for (const token of live) {
    const marker = parseMarker(token.description);
    if (marker === null) continue;
    if (!sealedIds.has(token.id)) unsealed.push(`${marker.name} (${token.id})`);
    if (marker.retireAt === undefined)
      perName.set(marker.name, (perName.get(marker.name) ?? 0) + 1);
  }
  const byId = new Map(tokens.map((token) => [token.id, token]));
  const touchedUnmanaged = unmanagedBefore
    .filter((before) => {
      const now = byId.get(before.id);
      return (
        now === undefined ||
        now.revokedAt !== undefined ||
        now.description !== before.description ||
        JSON.stringify(now.permissions) !== JSON.stringify(before.permissions)
      );
    })
    .map((token) => token.id);
  return {
    live,
    duplicates: [...perName].filter(([, count]) => count > 1).map(([name]) => name),
    unsealed,
    touchedUnmanaged,
    /** Names with one current (not retiring) live token. */
    currentNames: new Set(perName.keys()),
  };
}
