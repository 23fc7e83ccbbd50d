import type { ParsedSecretsFile } from './parse-secrets-file.js';
import { noSuchFile, readSecretsFile } from './read-secrets-file.js';
import { resolveStanding } from './resolve-standing.js';
import type { IndexedSecret, SecretsFileOptions, SecretsIndex } from './types.js';

/** Options of `readSecretsIndex`. */
export interface ReadSecretsIndexOptions extends SecretsFileOptions {
  /** Throw `FILE: no such file` instead of returning an empty index. */
  mustExist?: boolean;
}

/**
 * What a secrets file holds, from its plaintext metadata: no identity needed. A missing
 * file is an empty index (nothing has been sealed yet).
 */
export async function readSecretsIndex(
  path: string,
  options: ReadSecretsIndexOptions = {},
): Promise<SecretsIndex> {
  const label = options.label ?? path;
  const file = await readSecretsFile(path, label);
  if (file === null) {
    if (options.mustExist === true) throw noSuchFile(label);
    return { sealedTokenIds: new Set(), unresolvedIntents: [], entries: [], header: null };
  }
  return indexSecretsFile(file);
}

/** Folds the records of a parsed file into its index. Pure. */
export function indexSecretsFile(file: ParsedSecretsFile): SecretsIndex {
  // Intent id → its line, while nothing has resolved it; in file order.
  const open = new Map<string, { name: string; at: string }>();
  const resolved = new Set<string>();
  const entries: IndexedSecret[] = [];
  const sealedTokenIds = new Set<string>();
  const standing = resolveStanding(file.records);
  for (const record of file.records) {
    if (record.type === 'renamed' || record.type === 'revoked' || record.type === 'delivered') {
      continue;
    }
    if (record.type === 'intent') {
      if (!resolved.has(record.intent)) {
        open.set(record.intent, { name: record.name, at: record.at });
      }
      continue;
    }
    open.delete(record.intent);
    resolved.add(record.intent);
    if (record.type !== 'sealed') continue;
    // A sealed token of this name settles the earlier attempts to create it (a retry after
    // a lost response): they are not lost strings, the name's string is here.
    for (const [id, intent] of open) if (intent.name === record.name) open.delete(id);
    if (sealedTokenIds.has(record.tokenId)) continue;
    sealedTokenIds.add(record.tokenId);
    const { name, team, tokenId, createdAt, expiresAt, sealedAt } = record;
    const now = standing.get(tokenId) ?? { name, status: 'current' as const };
    entries.push({
      name: now.name,
      team,
      tokenId,
      createdAt,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      sealedAt,
      status: now.status,
      ...(now.revokedAt === undefined ? {} : { revokedAt: now.revokedAt }),
      ...(now.name === name ? {} : { sealedName: name }),
    });
  }
  return {
    sealedTokenIds,
    unresolvedIntents: [...open.values()],
    entries,
    header: {
      version: file.header.version,
      recipients: file.header.recipients,
      passphrase: file.header.passphrase,
    },
  };
}
