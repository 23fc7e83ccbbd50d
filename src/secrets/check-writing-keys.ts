import { SecretsError } from '../errors.js';
import { openFileKey } from './file-key.js';
import { normalizeRecipients } from './keys-for-writing.js';
import type { SecretsHeader } from './parse-secrets-file.js';
import type { WritingKeys } from './types.js';

/**
 * Checks that an existing file is sealed to exactly the keys this writer was given: a
 * file's recipients never change silently, and a passphrase must open the file (else the
 * person who set it could not read what is appended).
 */
export async function checkWritingKeys(
  header: SecretsHeader,
  keys: WritingKeys,
  label: string,
): Promise<void> {
  const n = header.recipients.length;
  const hint =
    "a secrets file's recipients never change: use another --secrets-file, or the same keys";
  if ('passphrase' in keys) {
    if (!header.passphrase) {
      throw new SecretsError(
        `${label} is sealed to ${n} recipient${n === 1 ? '' : 's'}, not a passphrase`,
        { hint },
      );
    }
    // Proves the passphrase opens the file: records sealed to it must be readable by the
    // person who set it. This is the one scrypt of this writer.
    await openFileKey(header, keys, label);
    return;
  }
  if (header.passphrase) {
    throw new SecretsError(`${label} is sealed to a passphrase, not to recipients`, { hint });
  }
  if (JSON.stringify(normalizeRecipients(header.recipients)) !== JSON.stringify(keys.recipients)) {
    throw new SecretsError(
      `${label} is sealed to other recipients (${n}) than this apply's (${keys.recipients.length})`,
      { hint },
    );
  }
}
