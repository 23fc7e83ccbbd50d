import type { DecryptedSecrets, ExportedRecord } from './types.js';

/**
 * The decrypted records as people get them: each under its current name with its standing,
 * in file order; only the current ones unless `all` (history: superseded and revoked too).
 */
export function presentRecords(
  decrypted: Pick<DecryptedSecrets, 'records' | 'standing'>,
  options: { all: boolean },
): ExportedRecord[] {
  const presented: ExportedRecord[] = [];
  for (const record of decrypted.records) {
    const standing = decrypted.standing.get(record.tokenId) ?? {
      name: record.name,
      status: 'current' as const,
    };
    if (!options.all && standing.status !== 'current') continue;
    presented.push({
      ...record,
      name: standing.name,
      status: standing.status,
      ...(standing.revokedAt === undefined ? {} : { revokedAt: standing.revokedAt }),
      ...(standing.name === record.name ? {} : { sealedName: record.name }),
    });
  }
  return presented;
}
