import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decrypter, Encrypter } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { decodeBech32 } from '../../src/secrets/decode-bech32.js';
import { NativeX25519Identity, NativeX25519Recipient } from '../../src/secrets/native-x25519.js';
import { makeKeyPair, makeTempDir } from './helpers.js';

const hasAge = spawnSync('age', ['--version']).status === 0;

describe('native X25519 recipient and identity', () => {
  it('encrypts what age-encryption decrypts, and decrypts what it encrypts', async () => {
    for (let round = 0; round < 20; round++) {
      const keys = await makeKeyPair();
      const plaintext = `record ${round} ${'x'.repeat(round * 13)}`;

      const native = new Encrypter();
      native.addRecipient(new NativeX25519Recipient(keys.recipient));
      const standardReader = new Decrypter();
      standardReader.addIdentity(keys.identity);
      expect(await standardReader.decrypt(await native.encrypt(plaintext), 'text')).toBe(plaintext);

      const standard = new Encrypter();
      standard.addRecipient(keys.recipient);
      const nativeReader = new Decrypter();
      nativeReader.addIdentity(new NativeX25519Identity(keys.identity));
      expect(await nativeReader.decrypt(await standard.encrypt(plaintext), 'text')).toBe(plaintext);
    }
  });

  it('does not open a file sealed to someone else', async () => {
    const [a, b] = [await makeKeyPair(), await makeKeyPair()];
    const encrypter = new Encrypter();
    encrypter.addRecipient(new NativeX25519Recipient(a.recipient));
    const decrypter = new Decrypter();
    decrypter.addIdentity(new NativeX25519Identity(b.identity));
    await expect(decrypter.decrypt(await encrypter.encrypt('x'))).rejects.toThrow(
      'no identity matched',
    );
  });

  it.skipIf(!hasAge)(
    hasAge ? 'the age CLI decrypts its output' : 'SKIPPED the age CLI check: no `age` on PATH',
    async () => {
      const keys = await makeKeyPair();
      const folder = await makeTempDir();
      const encrypter = new Encrypter();
      encrypter.addRecipient(new NativeX25519Recipient(keys.recipient));
      await writeFile(join(folder, 'key.txt'), `${keys.identity}\n`);
      await writeFile(join(folder, 'x.age'), await encrypter.encrypt('hello from node'));
      const run = spawnSync('age', ['-d', '-i', 'key.txt', 'x.age'], {
        cwd: folder,
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('hello from node');
    },
  );
});

describe('decodeBech32', () => {
  it('decodes age keys to 32 bytes, case-insensitively for identities', async () => {
    const keys = await makeKeyPair();
    expect(decodeBech32(keys.recipient)).toMatchObject({ prefix: 'age' });
    expect(decodeBech32(keys.recipient).bytes).toHaveLength(32);
    expect(decodeBech32(keys.identity).prefix).toBe('age-secret-key-');
    expect(decodeBech32(keys.identity.toLowerCase()).bytes).toEqual(
      decodeBech32(keys.identity).bytes,
    );
  });

  it('rejects a flipped character, mixed case and bad characters', async () => {
    const { recipient } = await makeKeyPair();
    const last = recipient.at(-1) === 'q' ? 'p' : 'q';
    expect(() => decodeBech32(recipient.slice(0, -1) + last)).toThrow('bad checksum');
    expect(() => decodeBech32(`AGE${recipient.slice(3)}`)).toThrow('mixed case');
    expect(() => decodeBech32(`${recipient.slice(0, 10)}b${recipient.slice(11)}`)).toThrow(
      'bad character',
    );
    expect(() => decodeBech32('age1')).toThrow('malformed');
  });

  it('matches BIP 173 vectors', () => {
    // BIP 173 test vector: hrp "a", empty data.
    expect(decodeBech32('A12UEL5L')).toEqual({ prefix: 'a', bytes: new Uint8Array() });
    expect(() => decodeBech32('A12UEL5X')).toThrow('bad checksum');
    // BIP 173 valid vector whose data part is the 32 characters of the alphabet in order.
    const every = decodeBech32('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw');
    expect(every.prefix).toBe('abcdef');
    expect(Buffer.from(every.bytes).toString('hex')).toBe(
      '00443214c74254b635cf84653a56d7c675be77df',
    );
  });
});
