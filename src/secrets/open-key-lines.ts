import { Decrypter } from 'age-encryption';
import { SecretsError } from '../errors.js';
import { keyDecrypter, openKeyLine } from './file-key.js';
import { NativeX25519Identity } from './native-x25519.js';
import type { KeyLine, ParsedSecretsFile } from './parse-secrets-file.js';
import type { ReadingKeys } from './types.js';

/** The key lines a reader could open. */
export interface OpenedKeys {
  /** Key id → a decrypter holding every identity opened under that id. */
  decrypters: Map<string, Decrypter>;
  /** Key ids with a line that decrypted to an identity other than its fileRecipient. */
  tampered: Set<string>;
}

/**
 * Opens every key line of the reader's kind (identities or passphrase; one scrypt per
 * passphrase line) and keeps those whose identity is their `fileRecipient`. Throws when
 * the file holds records but these keys open none of its key lines, or only the other kind.
 */
export async function openKeyLines(
  file: ParsedSecretsFile,
  keys: ReadingKeys,
  label: string,
): Promise<OpenedKeys> {
  const all = [...(file.header.legacyKey === null ? [] : [file.header.legacyKey]), ...file.keys];
  const passphrase = 'passphrase' in keys;
  const mine = unique(all.filter((line) => line.passphrase === passphrase));
  const hasRecords = file.records.some((line) => line.type === 'sealed');
  if (mine.length === 0 && all.length > 0 && hasRecords) throw wrongKind(file, keys, label);
  const decrypter = keyDecrypter(keys);
  const identities = new Map<string, string[]>();
  const tampered = new Set<string>();
  let decrypted = false;
  for (const line of mine) {
    const key = await openKeyLine(line, decrypter);
    if (key.status === 'closed') continue;
    decrypted = true;
    if (key.status === 'mismatch') tampered.add(line.key);
    else identities.set(line.key, [...(identities.get(line.key) ?? []), key.identity]);
  }
  if (!decrypted && hasRecords) {
    const count = file.header.recipients.length;
    const sealedTo = passphrase
      ? ''
      : ` (it is sealed to ${count} recipient${count === 1 ? '' : 's'})`;
    throw new SecretsError(
      `cannot open ${label} with ${passphrase ? 'this passphrase' : 'this identity'}${sealedTo}`,
    );
  }
  const decrypters = new Map<string, Decrypter>();
  for (const [id, list] of identities) {
    const recordDecrypter = new Decrypter();
    for (const identity of list) recordDecrypter.addIdentity(new NativeX25519Identity(identity));
    decrypters.set(id, recordDecrypter);
  }
  return { decrypters, tampered };
}

// A key line written twice (a retried short write) is opened once.
function unique(lines: KeyLine[]): KeyLine[] {
  const seen = new Set<string>();
  return lines.filter((line) => {
    const id = `${line.key}\n${line.fileKey}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function wrongKind(file: ParsedSecretsFile, keys: ReadingKeys, label: string): SecretsError {
  if ('passphrase' in keys) {
    const n = file.header.recipients.length;
    return new SecretsError(
      `${label} is sealed to ${n} recipient${n === 1 ? '' : 's'}, not a passphrase`,
      {
        hint: 'pass -i FILE or set PROVISION_AGE_IDENTITY to an identity file',
      },
    );
  }
  return new SecretsError(`${label} is sealed with a passphrase`, {
    hint: 'set PROVISION_PASSPHRASE',
  });
}
