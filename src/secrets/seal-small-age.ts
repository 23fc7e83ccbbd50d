import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Recipient } from 'age-encryption';
import { hkdfSha256 } from './hkdf-sha256.js';

/** age's STREAM chunk size: a payload up to this fits in one (final) chunk. */
const CHUNK_SIZE = 64 * 1024;
const EMPTY = new Uint8Array(0);

/**
 * Encrypts a small payload (one STREAM chunk, ≤ 64 KiB) as a standard age v1 file with
 * node:crypto's ChaCha20-Poly1305, HKDF and HMAC. Every sealed token record goes through
 * here: age-encryption's pure-JS ciphers cost about twice the CPU per record, and the
 * apply is CPU-bound at high concurrency. Returns `null` for a larger payload, which the
 * caller encrypts with age-encryption itself. Anything that reads age (age-encryption's
 * Decrypter, the `age` CLI) opens the result; the tests check both.
 */
export function sealSmallAge(recipient: Recipient, plaintext: Uint8Array): Buffer | null {
  if (plaintext.length > CHUNK_SIZE) return null;
  // One draw for the file key and the payload nonce: each call has a fixed cost.
  const random = randomBytes(32);
  const fileKey = random.subarray(0, 16);
  const nonce = random.subarray(16);
  const stanzas = recipient.wrapFileKey(fileKey);
  if (stanzas instanceof Promise) return null;
  let header = 'age-encryption.org/v1\n';
  for (const stanza of stanzas) {
    header += `-> ${stanza.args.join(' ')}\n${wrap64(base64(stanza.body))}\n`;
  }
  header += '---';
  const macKey = hkdfSha256(fileKey, EMPTY, 'header', 32);
  const mac = createHmac('sha256', macKey).update(header).digest();
  const payloadKey = hkdfSha256(fileKey, nonce, 'payload', 32);
  // STREAM nonce: 11-byte big-endian counter (0) and the last-chunk flag (1).
  const chunkNonce = Buffer.alloc(12);
  chunkNonce[11] = 1;
  const cipher = createCipheriv('chacha20-poly1305', payloadKey, chunkNonce, { authTagLength: 16 });
  return Buffer.concat([
    Buffer.from(`${header} ${base64(mac)}\n`),
    nonce,
    cipher.update(plaintext),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
}

/** age's base64: standard alphabet, no padding. */
function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}

/** Stanza bodies are wrapped at 64 columns; a body of exactly 64·k columns ends with an empty line. */
function wrap64(text: string): string {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 64) lines.push(text.slice(i, i + 64));
  if (text.length % 64 === 0) lines.push('');
  return lines.join('\n');
}
