import { hasAge } from '../helpers/age-keys.js';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Decrypter, Encrypter } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { passphraseStats } from '../../src/secrets/file-key.js';
import {
  decryptSecrets,
  openSecretsWriter,
  readSecrets,
  type WritingKeys,
} from '../../src/secrets/index.js';
import { makeKeyPair, makeTempDir, sampleRecord } from './helpers.js';

type Line = Record<string, unknown>;

async function lines(path: string): Promise<Line[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);
}

async function rewrite(path: string, edit: (line: Line, index: number) => Line | Line[]) {
  const edited = (await lines(path)).flatMap((line, index) => edit(line, index));
  await writeFile(path, `${edited.map((line) => JSON.stringify(line)).join('\n')}\n`);
}

async function seal(path: string, keys: WritingKeys, names: string[]): Promise<void> {
  const writer = await openSecretsWriter(path, keys);
  for (const name of names) {
    await writer.seal(await writer.beginCreate(name, null), sampleRecord(name));
  }
  await writer.close();
}

/** Whether `identity` opens the age file (base64), with age-encryption and, if present, `age`. */
async function opens(identity: string, base64: string, folder: string): Promise<boolean> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  const bytes = Buffer.from(base64, 'base64');
  const byLibrary = await decrypter.decrypt(bytes).then(
    () => true,
    () => false,
  );
  if (!hasAge) return byLibrary;
  const keyFile = join(folder, 'opener.key');
  await writeFile(keyFile, `${identity}\n`, { mode: 0o600 });
  const byCli = spawnSync('age', ['-d', '-i', keyFile], { input: bytes }).status === 0;
  expect(byCli).toBe(byLibrary);
  return byCli;
}

describe('file keys come from the writer, never from the file', () => {
  it('every writer open seals to a key line of its own, which records name', async () => {
    const keys = await makeKeyPair();
    const path = join(await makeTempDir(), 's.sealed');
    await seal(path, { recipients: [keys.recipient] }, ['one']);
    await seal(path, { recipients: [keys.recipient] }, ['two', 'three']);
    const all = await lines(path);
    expect(all[0]).toEqual({
      format: 'provision-secrets',
      version: 2,
      passphrase: false,
      recipients: [keys.recipient],
    });
    const keyLines = all.filter((line) => line.type === 'key');
    expect(keyLines).toHaveLength(2);
    expect(all[1]).toEqual(keyLines[0]); // written with the header, atomically
    const sealed = all.filter((line) => line.type === 'sealed');
    expect(sealed.map((line) => line.key)).toEqual([
      keyLines[0]!.key,
      keyLines[1]!.key,
      keyLines[1]!.key,
    ]);
    expect(keyLines[0]!.fileRecipient).not.toBe(keyLines[1]!.fileRecipient);
    const records = await readSecrets(path, { identities: [keys.identity] });
    expect(records.map((r) => r.name)).toEqual(['one', 'two', 'three']);
  });

  it("an attacker's fileRecipient in a key line opens nothing sealed after it", async () => {
    const [victim, attacker] = [await makeKeyPair(), await makeKeyPair()];
    const folder = await makeTempDir();
    const path = join(folder, 's.sealed');
    await seal(path, { recipients: [victim.recipient] }, ['before']);
    await rewrite(path, (line) =>
      line.type === 'key' ? { ...line, fileRecipient: attacker.recipient } : line,
    );
    await seal(path, { recipients: [victim.recipient] }, ['after']);

    for (const line of await lines(path)) {
      for (const base64 of [line.data, line.fileKey]) {
        if (typeof base64 === 'string') {
          expect(await opens(attacker.identity, base64, folder)).toBe(false);
        }
      }
    }
    const { records, skipped } = await decryptSecrets(path, { identities: [victim.identity] });
    expect(records.map((r) => r.name)).toEqual(['after']);
    expect(skipped).toMatchObject([
      { name: 'before', tokenId: 'id-before', reason: 'key-tampered' },
    ]);
  });

  it('a key line the attacker added, sealed to the victim too, holds no new record', async () => {
    const [victim, attacker] = [await makeKeyPair(), await makeKeyPair()];
    const folder = await makeTempDir();
    const path = join(folder, 's.sealed');
    await seal(path, { recipients: [victim.recipient] }, ['before']);
    const encrypter = new Encrypter();
    encrypter.addRecipient(victim.recipient);
    encrypter.addRecipient(attacker.recipient);
    const forgedKey = Buffer.from(await encrypter.encrypt(attacker.identity)).toString('base64');
    await rewrite(path, (line) =>
      line.type === 'key'
        ? [line, { ...line, fileRecipient: attacker.recipient, fileKey: forgedKey }]
        : line,
    );
    await seal(path, { recipients: [victim.recipient] }, ['after']);
    const sealed = (await lines(path)).filter((line) => line.type === 'sealed');
    expect(sealed).toHaveLength(2);
    for (const line of sealed) {
      expect(await opens(attacker.identity, line.data as string, folder)).toBe(false);
    }
    const records = await readSecrets(path, { identities: [victim.identity] });
    expect(records.map((r) => r.name)).toEqual(['before', 'after']);
  });

  it('records sealed to a key these identities cannot open are skipped and named', async () => {
    const [alice, bob] = [await makeKeyPair(), await makeKeyPair()];
    const path = join(await makeTempDir(), 's.sealed');
    await seal(path, { recipients: [alice.recipient] }, ['alice-1']);
    // Someone with write access adds a key line for bob and a record under it.
    const other = join(await makeTempDir(), 'other.sealed');
    await seal(other, { recipients: [bob.recipient] }, ['bob-1']);
    const foreign = (await lines(other)).filter((line) => line.type !== undefined);
    await writeFile(
      path,
      `${(await readFile(path, 'utf8')) + foreign.map((l) => JSON.stringify(l)).join('\n')}\n`,
    );
    await seal(path, { recipients: [alice.recipient] }, ['alice-2']);
    const { records, skipped } = await decryptSecrets(
      path,
      { identities: [alice.identity] },
      { label: 's.sealed' },
    );
    expect(records.map((r) => r.name)).toEqual(['alice-1', 'alice-2']);
    expect(skipped).toEqual([
      {
        name: 'bob-1',
        team: null,
        tokenId: 'id-bob-1',
        reason: 'no-key',
        message:
          's.sealed: skipped the sealed record of "bob-1" (token "id-bob-1"): it is sealed to a key that this identity cannot open',
      },
    ]);
  });
});

describe('passphrase files', () => {
  // scrypt costs seconds on a loaded machine: these tests get more time than the default.
  it(
    'one scrypt per writer open, and one key line for the file',
    { timeout: 180_000 },
    async () => {
      const path = join(await makeTempDir(), 'pw.sealed');
      const start = passphraseStats.derivations;
      await seal(path, { passphrase: 'right' }, ['one', 'two']);
      await seal(path, { passphrase: 'right' }, ['three']);
      expect(passphraseStats.derivations - start).toBe(2);
      expect((await lines(path)).filter((line) => line.type === 'key')).toHaveLength(1);
    },
  );

  it('a key line sealed to another passphrase is refused', { timeout: 180_000 }, async () => {
    // Line 2 replaced by a key sealed to another passphrase: refused, nothing appended.
    const path = join(await makeTempDir(), 'pw.sealed');
    await seal(path, { passphrase: 'right' }, ['one']);
    const other = join(await makeTempDir(), 'other.sealed');
    await seal(other, { passphrase: 'attacker' }, []);
    const forged = (await lines(other))[1]!;
    await rewrite(path, (line, index) => (index === 1 ? { ...forged, key: line.key } : line));
    const before = await readFile(path, 'utf8');
    await expect(openSecretsWriter(path, { passphrase: 'right' }, { label: 'pw' })).rejects.toThrow(
      'cannot open pw with this passphrase',
    );
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it(
    'a passphrase key line whose fileRecipient was changed is refused',
    { timeout: 180_000 },
    async () => {
      const attacker = await makeKeyPair();
      const path = join(await makeTempDir(), 'pw.sealed');
      await seal(path, { passphrase: 'right' }, ['one']);
      await rewrite(path, (line) =>
        line.type === 'key' ? { ...line, fileRecipient: attacker.recipient } : line,
      );
      await expect(
        openSecretsWriter(path, { passphrase: 'right' }, { label: 'pw' }),
      ).rejects.toMatchObject({
        message: 'pw: the passphrase key of the secrets file is damaged or was tampered with',
      });
    },
  );
});
