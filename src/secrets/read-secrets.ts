import { decryptSecrets } from './decrypt-secrets.js';
import type { ReadingKeys, SecretRecord, SecretsFileOptions } from './types.js';

/**
 * The trusted records of a secrets file, one per token id, in file order: what
 * `decryptSecrets` opened and checked. Records it skipped (sealed to a key these keys
 * cannot open, damaged, tampered with) are left out; callers that must say so use
 * `decryptSecrets`. Throws when the keys open nothing in the file at all.
 */
export async function readSecrets(
  path: string,
  keys: ReadingKeys,
  options: SecretsFileOptions = {},
): Promise<SecretRecord[]> {
  return (await decryptSecrets(path, keys, options)).records;
}
