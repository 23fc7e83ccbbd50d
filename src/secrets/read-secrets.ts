import { Decrypter } from 'age-encryption';
import { SecretsError } from '../errors.js';
import { openFileKey } from './file-key.js';
import { NativeX25519Identity } from './native-x25519.js';
import { noSuchFile, readSecretsFile } from './read-secrets-file.js';
import type { ReadingKeys, SecretRecord, SecretsFileOptions } from './types.js';

/**
 * Decrypts every sealed record of a secrets file, one per token id, in file order. The
 * user's identity or passphrase opens the file key once; records open with the file key.
 */
export async function readSecrets(
  path: string,
  keys: ReadingKeys,
  options: SecretsFileOptions = {},
): Promise<SecretRecord[]> {
  const label = options.label ?? path;
  const file = await readSecretsFile(path, label);
  if (file === null) throw noSuchFile(label);
  const decrypter = new Decrypter();
  decrypter.addIdentity(new NativeX25519Identity(await openFileKey(file.header, keys, label)));
  const seen = new Set<string>();
  const records: SecretRecord[] = [];
  for (const line of file.records) {
    if (line.type !== 'sealed' || seen.has(line.tokenId)) continue;
    seen.add(line.tokenId);
    let record: unknown;
    try {
      const text = await decrypter.decrypt(Buffer.from(line.data, 'base64'), 'text');
      record = JSON.parse(text);
    } catch (error) {
      throw new SecretsError(
        `${label}: the sealed record of "${line.name}" (token ${line.tokenId}) is damaged`,
        { cause: error },
      );
    }
    if (!isSecretRecord(record)) {
      throw new SecretsError(`${label}: the sealed record of "${line.name}" is not a token record`);
    }
    records.push(record);
  }
  return records;
}

function isSecretRecord(value: unknown): value is SecretRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    ['name', 'tokenId', 'description', 'createdAt', 'accessToken', 'sealedAt'].every(
      (key) => typeof v[key] === 'string',
    ) &&
    (v.team === null || typeof v.team === 'string') &&
    Array.isArray(v.permissions) &&
    (v.expiresAt === undefined || typeof v.expiresAt === 'string')
  );
}
