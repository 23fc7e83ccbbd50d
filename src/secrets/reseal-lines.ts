import type { NewFileKey } from './file-key.js';
import type { ParsedSecretsFile, RecordLine, SealedLine } from './parse-secrets-file.js';
import { sealRecord, sealingKey } from './seal-record.js';
import type { SecretRecord } from './types.js';

/**
 * The record lines of a resealed file, in the old file's order: each trusted sealed record
 * once, sealed again to `key` (the same record, the same plaintext fields); every other line
 * as it was. Copies of a sealed line (a retried write) and lines no one trusted are left out:
 * `resealSecretsFile` refuses files with untrusted records before it gets here.
 */
export async function resealLines(
  file: ParsedSecretsFile,
  records: readonly SecretRecord[],
  key: NewFileKey,
): Promise<RecordLine[]> {
  const sealing = sealingKey(key.recipient);
  const byId = new Map(records.map((record) => [record.tokenId, record]));
  const done = new Set<string>();
  const out: RecordLine[] = [];
  for (const line of file.records) {
    if (line.type !== 'sealed') {
      out.push(line);
      continue;
    }
    const record = byId.get(line.tokenId);
    if (record === undefined || done.has(line.tokenId)) continue;
    done.add(line.tokenId);
    const clean: SecretRecord = {
      name: record.name,
      team: record.team,
      tokenId: record.tokenId,
      description: record.description,
      permissions: record.permissions,
      createdAt: record.createdAt,
      ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
      accessToken: record.accessToken,
      sealedAt: record.sealedAt,
    };
    const resealed: SealedLine = {
      type: 'sealed',
      intent: line.intent,
      name: line.name,
      team: line.team,
      tokenId: line.tokenId,
      createdAt: line.createdAt,
      ...(line.expiresAt === undefined ? {} : { expiresAt: line.expiresAt }),
      sealedAt: line.sealedAt,
      key: key.id,
      data: await sealRecord(sealing, clean),
    };
    out.push(resealed);
  }
  return out;
}
