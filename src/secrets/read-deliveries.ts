import type { ParsedSecretsFile } from './parse-secrets-file.js';

/**
 * Which (token, target) pairs a secrets file says were delivered: the last `delivered` line
 * of each pair decides, so a failure after a success (a re-run with `--force`-like intent)
 * or a success after failures both read right. Keys are `tokenId + "\0" + target`.
 */
export function deliveredPairs(file: Pick<ParsedSecretsFile, 'records'>): Set<string> {
  const last = new Map<string, boolean>();
  for (const line of file.records) {
    if (line.type !== 'delivered') continue;
    last.set(deliveryKey(line.tokenId, line.target), line.outcome === 'ok');
  }
  return new Set([...last].filter(([, ok]) => ok).map(([key]) => key));
}

/** The key of one token's delivery to one target in `deliveredPairs`. */
export function deliveryKey(tokenId: string, target: string): string {
  return `${tokenId}\u0000${target}`;
}
