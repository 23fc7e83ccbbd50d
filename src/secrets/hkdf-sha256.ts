import { createHmac } from 'node:crypto';

/**
 * HKDF-SHA256 (RFC 5869) for outputs of at most 32 bytes: extract, then one expand block.
 * Two HMACs cost a fraction of `hkdfSync`, whose OpenSSL set-up dominates for keys this
 * small; every sealed record derives three keys. An empty salt is HashLen zeros (RFC 5869
 * §2.2), which HMAC's zero padding makes the same key.
 */
export function hkdfSha256(
  key: Uint8Array,
  salt: Uint8Array,
  info: string | Uint8Array,
  length: number,
): Buffer {
  if (length > 32) throw new RangeError('hkdfSha256 derives at most 32 bytes');
  const prk = createHmac('sha256', salt).update(key).digest();
  return createHmac('sha256', prk).update(info).update(ONE).digest().subarray(0, length);
}

const ONE = Buffer.from([1]);
