import type { DatabaseToken } from '../../model/index.js';
import { parseMarker } from '../../plan/index.js';
import { permissionsText } from './plan-words.js';

/** One cluster token as `tokens list` shows it. Never its string: the list has none. */
export interface ClusterTokenRow {
  id: string;
  /** The manifest name from the marker; `null`: unmanaged. */
  name: string | null;
  /** The description without the marker. */
  description: string;
  permissions: DatabaseToken['permissions'];
  permissionsText: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  /** An old token kept for its overlap window, revoked by the first apply after this. */
  retireAt: string | null;
  status: 'active' | 'retiring' | 'expired' | 'revoked';
}

/** Rows sorted managed first (by name), then unmanaged (by creation). Pure. */
export function describeClusterTokens(
  tokens: readonly DatabaseToken[],
  options: { includeRevoked: boolean; now: Date },
): ClusterTokenRow[] {
  const rows = tokens
    .filter((token) => options.includeRevoked || token.revokedAt === undefined)
    .map((token): ClusterTokenRow => {
      const marker = parseMarker(token.description);
      const expired =
        token.expiresAt !== undefined && Date.parse(token.expiresAt) <= options.now.getTime();
      const status =
        token.revokedAt !== undefined
          ? 'revoked'
          : expired
            ? 'expired'
            : marker?.retireAt !== undefined
              ? 'retiring'
              : 'active';
      return {
        id: token.id,
        name: marker?.name ?? null,
        description: marker?.human ?? token.description,
        permissions: token.permissions,
        permissionsText: permissionsText(token.permissions),
        createdAt: token.createdAt,
        expiresAt: token.expiresAt ?? null,
        revokedAt: token.revokedAt ?? null,
        retireAt: marker?.retireAt ?? null,
        status,
      };
    });
  return rows.sort(
    (a, b) =>
      Number(a.name === null) - Number(b.name === null) ||
      compare(a.name ?? '', b.name ?? '') ||
      compare(a.createdAt, b.createdAt) ||
      compare(a.id, b.id),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
