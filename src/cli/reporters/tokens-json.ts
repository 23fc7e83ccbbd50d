import type { ClusterTokenRow } from './describe-cluster-tokens.js';

/**
 * `tokens list --format json`: `{ formatVersion, tokens: [...] }`, each token with `id`,
 * `name` (`null` when unmanaged), `managed`, `description` (without the marker),
 * `permissions`, `createdAt`, `expiresAt`, `revokedAt`, `retireAt` and `status`.
 */
export function renderTokensJson(
  rows: readonly ClusterTokenRow[],
  cluster: string | null = null,
): string {
  const tokens = rows.map((row) => ({
    ...(cluster === null ? {} : { cluster }),
    id: row.id,
    name: row.name,
    managed: row.name !== null,
    description: row.description,
    permissions: row.permissions,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    retireAt: row.retireAt,
    status: row.status,
  }));
  return `${JSON.stringify({ formatVersion: 1, tokens }, null, 2)}\n`;
}
