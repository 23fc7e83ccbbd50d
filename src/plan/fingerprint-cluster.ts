import { createHash } from 'node:crypto';
import type { DatabaseToken } from '../model/tokens.js';
import { permissionKey } from './permission-key.js';

/**
 * sha256 (hex) of everything a plan depends on in the cluster: every token (by id: its
 * description, permissions as a set, expiry and revocation) and the database names. Listing
 * order and permission order never change it; a saved plan whose fingerprint moved is stale.
 */
export function fingerprintCluster(
  actual: readonly DatabaseToken[],
  databases: readonly string[],
): string {
  const tokens = [...actual]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((token) => [
      token.id,
      token.description,
      permissionKey(token.permissions),
      token.expiresAt ?? null,
      token.revokedAt ?? null,
    ]);
  const names = [...new Set(databases)].sort();
  return createHash('sha256')
    .update(JSON.stringify({ tokens, databases: names }))
    .digest('hex');
}
