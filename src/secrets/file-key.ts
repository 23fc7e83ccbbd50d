import { randomUUID } from 'node:crypto';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { NativeX25519Identity } from './native-x25519.js';
import type { KeyLine } from './parse-secrets-file.js';
import type { ReadingKeys, WritingKeys } from './types.js';

/**
 * How many times scrypt ran (passphrase mode), so tests can prove it runs once per writer
 * rather than once per token. Instrumentation only; nothing reads it to decide anything.
 */
export const passphraseStats = { derivations: 0 };

/** A file key a writer holds in memory: records are sealed to `recipient`, under `id`. */
export interface FileKey {
  id: string;
  /** Derived from the identity this process made or decrypted, never read from the file. */
  recipient: string;
}

/** A file key just made, and the key line that lets the keys' holders recover it. */
export interface NewFileKey extends FileKey {
  line: KeyLine;
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

/**
 * Makes a fresh X25519 file identity and its key line, encrypted to the trusted keys (one
 * scrypt with a passphrase). The identity itself is dropped: a writer needs only its
 * public half, and readers recover it from the line.
 */
export async function createFileKey(keys: WritingKeys, at: string): Promise<NewFileKey> {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const sealed = await encrypterFor(keys).encrypt(identity);
  const id = randomUUID();
  const line: KeyLine = {
    type: 'key',
    key: id,
    passphrase: 'passphrase' in keys,
    recipients: 'recipients' in keys ? keys.recipients : [],
    fileRecipient: recipient,
    fileKey: Buffer.from(sealed).toString('base64'),
    at,
  };
  return { id, recipient, line };
}

/** What opening one key line with the user's keys gave. */
export type OpenedKey =
  | { status: 'opened'; identity: string }
  /** Not sealed to these keys (or not decryptable at all). */
  | { status: 'closed' }
  /** Decrypted, but the identity inside is not the line's `fileRecipient`: tampered. */
  | { status: 'mismatch' };

/**
 * Opens a key line with a decrypter holding the user's identities or passphrase. The
 * identity inside must be the one whose public half the line names: else records sealed to
 * that line could have been written for someone else's key, and are not trusted.
 */
export async function openKeyLine(line: KeyLine, decrypter: Decrypter): Promise<OpenedKey> {
  if (line.passphrase) passphraseStats.derivations += 1;
  let identity: string;
  try {
    identity = await decrypter.decrypt(Buffer.from(line.fileKey, 'base64'), 'text');
  } catch {
    return { status: 'closed' }; // age says only "no identity matched"; never echo a key
  }
  try {
    if (!identity.startsWith('AGE-SECRET-KEY-1')) return { status: 'mismatch' };
    if ((await identityToRecipient(identity)) !== line.fileRecipient) return { status: 'mismatch' };
  } catch {
    return { status: 'mismatch' };
  }
  return { status: 'opened', identity };
}

/**
 * A decrypter for key lines: the user's identities (X25519 ones natively, for speed) or
 * the passphrase. Open only passphrase lines with a passphrase: each costs one scrypt.
 */
export function keyDecrypter(keys: ReadingKeys): Decrypter {
  const decrypter = new Decrypter();
  if ('passphrase' in keys) {
    decrypter.addPassphrase(keys.passphrase);
    return decrypter;
  }
  for (const key of keys.identities) {
    decrypter.addIdentity(key.startsWith('AGE-SECRET-KEY-1') ? new NativeX25519Identity(key) : key);
  }
  return decrypter;
}
