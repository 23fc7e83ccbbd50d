import { hasAge } from '../helpers/age-keys.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { NativeX25519Recipient } from '../../src/secrets/native-x25519.js';
import { sealSmallAge } from '../../src/secrets/seal-small-age.js';

describe('sealSmallAge', () => {
  it.each([0, 1, 100, 65_536])(
    'writes a standard age file that age-encryption opens (%i bytes)',
    async (size) => {
      const identity = await generateIdentity();
      const recipient = new NativeX25519Recipient(await identityToRecipient(identity));
      const plaintext = Buffer.from('x'.repeat(size));
      const sealed = sealSmallAge(recipient, plaintext);
      expect(sealed).not.toBeNull();
      const decrypter = new Decrypter();
      decrypter.addIdentity(identity);
      expect(Buffer.from(await decrypter.decrypt(sealed!))).toEqual(plaintext);
    },
  );

  it('leaves a payload over one chunk to age-encryption', async () => {
    const recipient = new NativeX25519Recipient(
      await identityToRecipient(await generateIdentity()),
    );
    expect(sealSmallAge(recipient, Buffer.alloc(65_537))).toBeNull();
  });

  it('refuses to open with another identity', async () => {
    const recipient = new NativeX25519Recipient(
      await identityToRecipient(await generateIdentity()),
    );
    const decrypter = new Decrypter();
    decrypter.addIdentity(await generateIdentity());
    await expect(
      decrypter.decrypt(sealSmallAge(recipient, Buffer.from('secret'))!),
    ).rejects.toThrow();
  });

  it.skipIf(!hasAge)('is opened by the age command-line tool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provision-small-age-'));
    const identity = await generateIdentity();
    writeFileSync(join(dir, 'key.txt'), `${identity}\n`, { mode: 0o600 });
    const recipient = new NativeX25519Recipient(await identityToRecipient(identity));
    writeFileSync(join(dir, 'x.age'), sealSmallAge(recipient, Buffer.from('{"hello":"age"}'))!);
    const run = spawnSync('age', ['-d', '-i', join(dir, 'key.txt'), join(dir, 'x.age')], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('{"hello":"age"}');
  });
});
