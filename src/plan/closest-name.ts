/**
 * The candidate nearest to `input` by edit distance, when it is near enough to be a typo
 * (at most a third of the input's length, and at least 1 edit allowed); otherwise `null`.
 */
export function closestName(input: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.floor(input.length / 3));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - input.length) >= bestDistance) continue;
    const distance = editDistance(input, candidate, bestDistance);
    if (
      distance < bestDistance ||
      (distance === bestDistance && best !== null && candidate < best)
    ) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : null;
}

/** `did you mean "x"?`, or `undefined` when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const match = closestName(input, candidates);
  return match === null ? undefined : `did you mean "${match}"?`;
}

// Levenshtein distance with one row of memory; stops early once every cell exceeds `cap`.
function editDistance(a: string, b: string, cap: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > cap) return rowMin;
    previous = current;
  }
  return previous[b.length] as number;
}
