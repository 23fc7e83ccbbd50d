import type { RecordLine } from './parse-secrets-file.js';
import type { TokenStanding } from './types.js';

/**
 * Where each sealed token stands, from the lines that follow its seal: its current name
 * (after `renamed` lines) and whether it is the one to use. Among the tokens that now carry
 * a name and were not revoked, the last sealed is `current` and the earlier ones are
 * `superseded` (a rotation's old token, still live during its overlap); a `revoked` line
 * wins over both. So a newer token that was revoked again leaves the older one current.
 *
 * `sealed` says which token ids count (a reader passes only the records it trusted); lines
 * about other ids are ignored. Pure; file order is the order of events.
 */
export function resolveStanding(
  lines: readonly RecordLine[],
  sealed: (tokenId: string) => boolean = () => true,
): Map<string, TokenStanding> {
  const tokens = new Map<string, { name: string; order: number; revokedAt?: string }>();
  lines.forEach((line, order) => {
    if (line.type === 'sealed') {
      if (!tokens.has(line.tokenId) && sealed(line.tokenId)) {
        tokens.set(line.tokenId, { name: line.name, order });
      }
      return;
    }
    const token =
      line.type === 'renamed' || line.type === 'revoked' ? tokens.get(line.tokenId) : undefined;
    if (token === undefined) return;
    if (line.type === 'renamed') token.name = line.to;
    else if (line.type === 'revoked') token.revokedAt ??= line.at;
  });
  const newest = new Map<string, number>();
  for (const token of tokens.values()) {
    if (token.revokedAt !== undefined) continue;
    newest.set(token.name, Math.max(newest.get(token.name) ?? -1, token.order));
  }
  const standing = new Map<string, TokenStanding>();
  for (const [tokenId, token] of tokens) {
    if (token.revokedAt !== undefined) {
      standing.set(tokenId, { name: token.name, status: 'revoked', revokedAt: token.revokedAt });
    } else {
      const current = newest.get(token.name) === token.order;
      standing.set(tokenId, { name: token.name, status: current ? 'current' : 'superseded' });
    }
  }
  return standing;
}
