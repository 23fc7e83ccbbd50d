import { hasAge } from '../helpers/age-keys.js';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decrypter, Encrypter } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { NativeX25519Identity, NativeX25519Recipient } from '../../src/secrets/native-x25519.js';
import { makeKeyPair, makeTempDir } from './helpers.js';

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
