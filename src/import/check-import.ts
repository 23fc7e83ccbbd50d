import type { DatabaseToken } from '../model/index.js';
import { UsageError } from '../errors.js';
import type { DesiredToken } from '../manifest/index.js';
import { claimTokens } from '../plan/index.js';
import { classifyTokens } from '../plan/index.js';
import { didYouMean } from '../model/index.js';
import { parseMarker } from '../plan/index.js';

/** What a single import may do: adopt the token, or nothing (it is already this name's). */
export type ImportCheck =
  | { kind: 'adopt'; desired: DesiredToken; token: DatabaseToken }
  | { kind: 'already-imported'; desired: DesiredToken; token: DatabaseToken };

/**
 * Checks `provision import NAME TOKEN_ID` before anything is sent: NAME is declared,
 * the token exists, is live and unmanaged, and no live managed token already holds NAME (or
 * one of its previous names), which the import would duplicate. Each failure is a
 * UsageError that says what to do instead. Pure: `token` is the listed token, if any.
 */
export function checkImport(
  name: string,
  tokenId: string,
  desired: readonly DesiredToken[],
  actual: readonly DatabaseToken[],
  token: DatabaseToken | undefined,
): ImportCheck {
  const declared = desired.find((candidate) => candidate.name === name);
  if (declared === undefined) {
    throw new UsageError(`no token "${name}" in the manifest`, {
      hint:
        didYouMean(
          name,
          desired.map((candidate) => candidate.name),
        ) ?? 'declare it under tokens: first, then import it',
    });
  }
  if (token === undefined) {
    throw new UsageError(`token ${tokenId} not found in the cluster`, {
      hint: 'check the id with `influxctl token list`',
    });
  }
  if (token.revokedAt !== undefined) {
    throw new UsageError(
      `token ${tokenId} was revoked at ${token.revokedAt}; it cannot be adopted`,
      {
        hint: `\`provision apply\` creates "${name}" anew`,
      },
    );
  }
  const marker = parseMarker(token.description);
  if (marker !== null) {
    if (marker.name === name && marker.retireAt === undefined)
      return { kind: 'already-imported', desired: declared, token };
    const retiring = marker.retireAt === undefined ? '' : ` (retiring at ${marker.retireAt})`;
    throw new UsageError(`token ${tokenId} is already managed as "${marker.name}"${retiring}`, {
      hint:
        marker.retireAt === undefined
          ? `import adopts only unmanaged tokens; to rename, add previousNames: [${marker.name}] to "${name}" in the manifest`
          : 'import adopts only unmanaged tokens',
    });
  }
  const classified = classifyTokens(actual);
  const [holder] = claimTokens([declared], classified.current).byDesired[0] ?? [];
  if (holder !== undefined) {
    throw new UsageError(
      `"${name}" is already held by live token ${holder.token.id}; importing ${tokenId} would create a duplicate`,
      { hint: 'revoke one of them first, or import it under another declared name' },
    );
  }
  return { kind: 'adopt', desired: declared, token };
}
