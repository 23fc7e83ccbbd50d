import { identityToRecipient } from 'age-encryption';
import { SecretsError } from '../errors.js';
import { keyDecrypter, openKeyLine, type FileKey } from './file-key.js';
import type { OpenedSecretsFile } from './open-existing-file.js';
import { parseLine, SECRETS_VERSION_1, type KeyLine } from './parse-secrets-file.js';

/**
 * The key a writer reuses in a passphrase file: the version 1 header's, or the key line
 * written with a version 2 header (line 2). Reusing it is safe because a key that opens
 * with the passphrase was made by someone who knows the passphrase (age's scrypt stanza
 * is authenticated), and the recipient sealed to is derived from the decrypted identity,
 * never taken from the line. Decrypting it is this writer's one scrypt.
 */
export async function openPassphraseKey(
  opened: OpenedSecretsFile,
  passphrase: string,
  label: string,
): Promise<FileKey> {
  const line = passphraseKeyLine(opened);
  const damaged = new SecretsError(
    `${label}: the passphrase key of the secrets file is damaged or was tampered with`,
    { hint: 'restore the file from version control or a backup; nothing was written to it' },
  );
  if (line === null) throw damaged;
  const key = await openKeyLine(line, keyDecrypter({ passphrase }));
  if (key.status === 'closed') {
    throw new SecretsError(`cannot open ${label} with this passphrase`, {
      hint: "a secrets file's passphrase never changes: use the one it was created with, or another --secrets-file",
    });
  }
  if (key.status === 'mismatch') throw damaged;
  return { id: line.key, recipient: await identityToRecipient(key.identity) };
}

function passphraseKeyLine(opened: OpenedSecretsFile): KeyLine | null {
  if (opened.header.version === SECRETS_VERSION_1) return opened.header.legacyKey;
  const line = opened.secondLine === null ? null : parseLine(opened.secondLine);
  return line !== null && line.type === 'key' && line.passphrase ? line : null;
}
