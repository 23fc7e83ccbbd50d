import { Encrypter } from 'age-encryption';
import { NativeX25519Recipient } from './native-x25519.js';
import { sealSmallAge } from './seal-small-age.js';
import type { SecretRecord } from './types.js';

/** A file key's public half, ready to seal records to (see `sealRecord`). */
export interface SealingKey {
  recipient: NativeX25519Recipient;
  encrypter: Encrypter;
}

/** A sealing key for a file key's recipient (`age1…`). */
export function sealingKey(recipient: string): SealingKey {
  const native = new NativeX25519Recipient(recipient);
  const encrypter = new Encrypter();
  encrypter.addRecipient(native);
  return { recipient: native, encrypter };
}

/**
 * A sealed line's `data`: base64 of an age file to the key holding the record's JSON. The
 * writer and reseal both seal through here, so every record reads back the same way.
 */
export async function sealRecord(key: SealingKey, record: SecretRecord): Promise<string> {
  const plaintext = Buffer.from(JSON.stringify(record));
  const sealed =
    sealSmallAge(key.recipient, plaintext) ?? Buffer.from(await key.encrypter.encrypt(plaintext));
  return sealed.toString('base64');
}
