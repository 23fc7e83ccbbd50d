import type { ParsedSecretsFile } from './parse-secrets-file.js';
import { noSuchFile, readSecretsFile } from './read-secrets-file.js';
import type { SecretsFileOptions, SecretsIndex, SecretsIndexEntry } from './types.js';

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
  const open = new Map<string, { name: string; at: string }>();
  const entries: SecretsIndexEntry[] = [];
  const sealedTokenIds = new Set<string>();
  const resolved = new Set<string>();
  for (const record of file.records) {
    if (record.type === 'intent') {
      if (!resolved.has(record.intent))
        open.set(record.intent, { name: record.name, at: record.at });
      continue;
    }
    open.delete(record.intent);
    resolved.add(record.intent);
    if (record.type !== 'sealed' || sealedTokenIds.has(record.tokenId)) continue;
    sealedTokenIds.add(record.tokenId);
    const { name, team, tokenId, createdAt, expiresAt, sealedAt } = record;
    entries.push({
      name,
      team,
      tokenId,
      createdAt,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      sealedAt,
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
