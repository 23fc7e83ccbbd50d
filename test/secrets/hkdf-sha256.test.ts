import { hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hkdfSha256 } from '../../src/secrets/hkdf-sha256.js';

describe('hkdfSha256', () => {
  it.each([
    ['empty salt, text info', 16, 0, 'header', 32],
    ['16-byte salt', 16, 16, 'payload', 32],
    ['64-byte salt (a block)', 32, 64, 'age-encryption.org/v1/X25519', 32],
    ['salt over a block', 32, 100, 'x', 16],
  ])('%s matches node:crypto hkdfSync', (_what, keyLength, saltLength, info, length) => {
    for (let i = 0; i < 20; i += 1) {
      const key = randomBytes(keyLength);
      const salt = randomBytes(saltLength);
      const expected = Buffer.from(hkdfSync('sha256', key, salt, info, length));
      expect(hkdfSha256(key, salt, info, length).equals(expected)).toBe(true);
    }
  });

  it('refuses more than one block of output', () => {
    expect(() => hkdfSha256(randomBytes(16), new Uint8Array(0), 'x', 33)).toThrow(RangeError);
  });
});
