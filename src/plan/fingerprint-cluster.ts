import { createHash } from 'node:crypto';
import { partitionTemplateKey } from '../model/index.js';
import type { ClusterDatabase, DatabaseToken } from '../model/index.js';
import { permissionKey } from './permission-key.js';

/**
 * sha256 (hex) of everything a plan depends on in the cluster: every token (by id: its
 * description, permissions as a set, expiry and revocation) and every database (by name: its
 * retention, limits and partition template). Listing order and permission order never change
 * it; a saved plan whose fingerprint moved is stale.
 */
export function fingerprintCluster(
  actual: readonly DatabaseToken[],
  databases: readonly ClusterDatabase[],
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
  const settings = [...databases]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((database) => [
      database.name,
      database.retentionPeriod,
      database.maxTables,
      database.maxColumnsPerTable,
      partitionTemplateKey(database.partitionTemplate),
    ]);
  return createHash('sha256')
    .update(JSON.stringify({ tokens, databases: settings }))
    .digest('hex');
}
