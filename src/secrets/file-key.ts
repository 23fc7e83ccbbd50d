import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { SecretsError } from '../errors.js';
import type { SecretsHeader } from './parse-secrets-file.js';
import type { ReadingKeys, WritingKeys } from './types.js';

/**
 * How many times scrypt ran (passphrase mode), so tests can prove it runs once per file
 * rather than once per token. Instrumentation only; nothing reads it to decide anything.
 */
export const passphraseStats = { derivations: 0 };

/** A fresh file identity, and the header fields that let the keys' holders recover it. */
export interface NewFileKey {
  identity: string;
  fileRecipient: string;
  fileKey: string;
}

/** An age encrypter to the recipients, or to the passphrase (scrypt, counted for the tests). */
export function encrypterFor(keys: WritingKeys): Encrypter {
  const encrypter = new Encrypter();
  if ('passphrase' in keys) {
    encrypter.setPassphrase(keys.passphrase);
    passphraseStats.derivations += 1;
  } else {
    for (const recipient of keys.recipients) encrypter.addRecipient(recipient);
  }
  return encrypter;
}

/** Generates the per-file X25519 identity and encrypts it to the recipients or passphrase. */
export async function createFileKey(keys: WritingKeys): Promise<NewFileKey> {
  const identity = await generateX25519Identity();
  const fileRecipient = await identityToRecipient(identity);
  const sealed = await encrypterFor(keys).encrypt(identity);
  return { identity, fileRecipient, fileKey: Buffer.from(sealed).toString('base64') };
}

/**
 * Recovers the file identity from the header with the user's identities or passphrase:
 * the one expensive step of reading (scrypt in passphrase mode), done once per file.
 */
export async function openFileKey(
  header: SecretsHeader,
  keys: ReadingKeys,
  label: string,
): Promise<string> {
  const count = header.recipients.length;
  const sealedTo = `${count} recipient${count === 1 ? '' : 's'}`;
  const decrypter = new Decrypter();
  if ('passphrase' in keys) {
    if (!header.passphrase) {
      throw new SecretsError(`${label} is sealed to ${sealedTo}, not a passphrase`, {
        hint: 'pass -i FILE or set PROVISION_AGE_IDENTITY to an identity file',
      });
    }
    decrypter.addPassphrase(keys.passphrase);
    passphraseStats.derivations += 1;
  } else if (header.passphrase) {
    throw new SecretsError(`${label} is sealed with a passphrase`, {
      hint: 'set PROVISION_PASSPHRASE',
    });
  }
  let identity: string;
  try {
    // Inside the try: a malformed identity must not surface age's error (or the key).
    if ('identities' in keys) for (const key of keys.identities) decrypter.addIdentity(key);
    identity = await decrypter.decrypt(Buffer.from(header.fileKey, 'base64'), 'text');
  } catch {
    // age says only "no identity matched"; never echo the identity or passphrase.
    const what = 'passphrase' in keys ? 'this passphrase' : 'this identity';
    throw new SecretsError(
      `cannot open ${label} with ${what}${header.passphrase ? '' : ` (it is sealed to ${sealedTo})`}`,
    );
  }
  if (!identity.startsWith('AGE-SECRET-KEY-1') || !(await matches(identity, header))) {
    throw new SecretsError(`${label}: the secrets file's header is damaged`);
  }
  return identity;
}

// The header's fileRecipient must belong to the identity it seals, or records written to it
// would be unreadable (or readable by someone else).
async function matches(identity: string, header: SecretsHeader): Promise<boolean> {
  try {
    return (await identityToRecipient(identity)) === header.fileRecipient;
  } catch {
    return false;
  }
}
