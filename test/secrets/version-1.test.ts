import { hasAge } from '../helpers/age-keys.js';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { passphraseStats } from '../../src/secrets/file-key.js';
import {
  decryptSecrets,
  openSecretsWriter,
  readSecrets,
  readSecretsIndex,
} from '../../src/secrets/index.js';
import {
  makeKeyPair,
  makeTempDir,
  sampleRecord,
  sealedRecord,
  writeVersion1File,
} from './helpers.js';

// scrypt (work factor 18) takes seconds each on a loaded 2-core machine; these tests run several.
const SCRYPT_TIMEOUT_MS = 180_000;

function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('files written by version 1', () => {
  it('stay readable, and a writer appends a key line of its own after the v1 header', async () => {
    const keys = await makeKeyPair();
    const path = join(await makeTempDir(), 'v1.sealed');
    const old = [sealedRecord('one'), sealedRecord('two', { team: 'alpha' })];
    await writeVersion1File(path, { recipients: [keys.recipient] }, old, [
      { name: 'lost', team: null },
    ]);
    const header = (await readFile(path, 'utf8')).split('\n')[0];

    expect(await readSecrets(path, { identities: [keys.identity] })).toEqual(old);
    const index = await readSecretsIndex(path);
    expect(index.header).toEqual({ version: 1, recipients: [keys.recipient], passphrase: false });
    expect(index.unresolvedIntents.map((i) => i.name)).toEqual(['lost']);

    const writer = await openSecretsWriter(path, { recipients: [keys.recipient] });
    await writer.seal(await writer.beginCreate('three', null), sampleRecord('three'));
    await writer.close();
    const text = await readFile(path, 'utf8');
    expect(text.split('\n')[0]).toBe(header);
    const added = parseLines(text).slice(-3);
    expect(added.map((line) => line.type)).toEqual(['key', 'intent', 'sealed']);
    expect(added[2]!.key).toBe(added[0]!.key);
    const records = await readSecrets(path, { identities: [keys.identity] });
    expect(records.map((r) => r.name)).toEqual(['one', 'two', 'three']);
  });

  it.skipIf(!hasAge)(
    "a v1 header whose fileRecipient is the attacker's: the next record does not open with their key",
    async () => {
      const [victim, attacker] = [await makeKeyPair(), await makeKeyPair()];
      const folder = await makeTempDir();
      const path = join(folder, 'v1.sealed');
      await writeVersion1File(path, { recipients: [victim.recipient] }, [sealedRecord('one')]);
      const [first, ...rest] = (await readFile(path, 'utf8')).split('\n');
      const tampered = { ...JSON.parse(first!), fileRecipient: attacker.recipient };
      await writeFile(path, [JSON.stringify(tampered), ...rest].join('\n'));

      const writer = await openSecretsWriter(path, { recipients: [victim.recipient] });
      await writer.seal(await writer.beginCreate('new', null), sampleRecord('new'));
      await writer.close();
      await writeFile(join(folder, 'attacker.key'), `${attacker.identity}\n`, { mode: 0o600 });
      for (const line of parseLines(await readFile(path, 'utf8'))) {
        if (line.type !== 'sealed') continue;
        const attempt = spawnSync('age', ['-d', '-i', join(folder, 'attacker.key')], {
          input: Buffer.from(line.data as string, 'base64'),
        });
        expect({ name: line.name, status: attempt.status }).toEqual({ name: line.name, status: 1 });
      }
      // The victim still reads the new record; the one under the tampered header is named.
      const { records, skipped } = await decryptSecrets(path, { identities: [victim.identity] });
      expect(records.map((r) => r.name)).toEqual(['new']);
      expect(skipped.map((s) => [s.name, s.reason])).toEqual([['one', 'key-tampered']]);
    },
  );

  it(
    "passphrase: appends under the header's own key (one scrypt), readable as before",
    { timeout: SCRYPT_TIMEOUT_MS },
    async () => {
      const path = join(await makeTempDir(), 'v1-pw.sealed');
      await writeVersion1File(path, { passphrase: 'pw' }, [sealedRecord('one')]);
      const start = passphraseStats.derivations;
      const writer = await openSecretsWriter(path, { passphrase: 'pw' });
      await writer.seal(await writer.beginCreate('two', null), sampleRecord('two'));
      await writer.close();
      expect(passphraseStats.derivations - start).toBe(1);
      const added = parseLines(await readFile(path, 'utf8')).at(-1)!;
      // No key line and no `key` field: the version that wrote the file reads this record too.
      expect(added).toMatchObject({ type: 'sealed', name: 'two' });
      expect('key' in added).toBe(false);
      expect((await readSecrets(path, { passphrase: 'pw' })).map((r) => r.name)).toEqual([
        'one',
        'two',
      ]);
    },
  );

  it(
    'passphrase: a v1 header whose fileRecipient was changed is refused',
    { timeout: SCRYPT_TIMEOUT_MS },
    async () => {
      const attacker = await makeKeyPair();
      const path = join(await makeTempDir(), 'v1-pw.sealed');
      await writeVersion1File(path, { passphrase: 'pw' }, [sealedRecord('one')]);
      const [first, ...rest] = (await readFile(path, 'utf8')).split('\n');
      const tampered = { ...JSON.parse(first!), fileRecipient: attacker.recipient };
      await writeFile(path, [JSON.stringify(tampered), ...rest].join('\n'));
      await expect(openSecretsWriter(path, { passphrase: 'pw' }, { label: 'f' })).rejects.toThrow(
        'f: the passphrase key of the secrets file is damaged or was tampered with',
      );
    },
  );
});
