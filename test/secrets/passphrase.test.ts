import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { passphraseStats } from '../../src/secrets/file-key.js';
import { openSecretsWriter, readSecrets, readSecretsIndex } from '../../src/secrets/index.js';
import { makeKeyPair, makeTempDir, sampleRecord } from './helpers.js';

// scrypt (work factor 18) takes seconds each on a loaded 2-core machine; these tests run several.
const SCRYPT_TIMEOUT_MS = 180_000;

describe('passphrase mode', () => {
  it(
    'runs scrypt once per file opening, never per token',
    { timeout: SCRYPT_TIMEOUT_MS },
    async () => {
      const path = join(await makeTempDir(), 'pw.sealed');
      const keys = { passphrase: 'correct horse battery staple' };
      const start = passphraseStats.derivations;

      const writer = await openSecretsWriter(path, keys);
      expect(passphraseStats.derivations - start).toBe(1); // the file key, once
      const names = Array.from({ length: 20 }, (_, i) => `token-${i}`);
      for (const name of names) {
        await writer.seal(await writer.beginCreate(name, null), sampleRecord(name));
      }
      await writer.close();
      expect(passphraseStats.derivations - start).toBe(1);

      // Reopening proves the passphrase opens the file (once), then seals cheaply again.
      const again = await openSecretsWriter(path, keys);
      for (const name of ['late-1', 'late-2']) {
        await again.seal(await again.beginCreate(name, null), sampleRecord(name));
      }
      await again.close();
      expect(passphraseStats.derivations - start).toBe(2);

      expect((await readSecretsIndex(path)).header).toEqual({
        version: 2,
        recipients: [],
        passphrase: true,
      });
      const records = await readSecrets(path, keys);
      expect(passphraseStats.derivations - start).toBe(3);
      expect(records.map((r) => r.name)).toEqual([...names, 'late-1', 'late-2']);
      expect(records[3]!.accessToken).toBe(sampleRecord('token-3').accessToken);
    },
  );

  it(
    'refuses a wrong passphrase for reading and for appending, and identities',
    { timeout: SCRYPT_TIMEOUT_MS },
    async () => {
      const path = join(await makeTempDir(), 'pw.sealed');
      const writer = await openSecretsWriter(path, { passphrase: 'right' });
      await writer.seal(await writer.beginCreate('a', null), sampleRecord('a'));
      await writer.close();
      const label = { label: 'pw.sealed' };
      await expect(readSecrets(path, { passphrase: 'wrong' }, label)).rejects.toMatchObject({
        name: 'SecretsError',
        message: 'cannot open pw.sealed with this passphrase',
      });
      await expect(openSecretsWriter(path, { passphrase: 'wrong' }, label)).rejects.toThrow(
        'cannot open pw.sealed with this passphrase',
      );
      const { identity } = await makeKeyPair();
      await expect(readSecrets(path, { identities: [identity] }, label)).rejects.toMatchObject({
        message: 'pw.sealed is sealed with a passphrase',
        hint: 'set PROVISION_PASSPHRASE',
      });
    },
  );
});
