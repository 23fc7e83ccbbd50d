import { execFileSync } from 'node:child_process';
import { appendFile, readFile, stat, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InternalError, SecretsError } from '../../src/errors.js';
import { openSecretsWriter, readSecrets, readSecretsIndex } from '../../src/secrets/index.js';
import { makeKeyPair, makeTempDir, sampleRecord } from './helpers.js';

async function sealAll(path: string, recipients: string[], names: string[]): Promise<void> {
  const writer = await openSecretsWriter(path, { recipients });
  for (const name of names) {
    await writer.seal(await writer.beginCreate(name, null), sampleRecord(name));
  }
  await writer.close();
}

describe('openSecretsWriter with X25519 recipients', () => {
  it('seals records that the index lists and an identity reads back', async () => {
    const [alice, bob] = [await makeKeyPair(), await makeKeyPair()];
    const path = join(await makeTempDir(), 'nested', 'secrets', 'main.sealed');
    const writer = await openSecretsWriter(path, { recipients: [bob.recipient, alice.recipient] });
    const first = await writer.beginCreate('ingest', null);
    const second = await writer.beginCreate('reader', 'alpha');
    const failed = await writer.beginCreate('broken', null);
    await writer.beginCreate('lost', 'alpha');
    await writer.seal(first, sampleRecord('ingest', { expiresAt: '2026-01-01T00:00:00Z' }));
    await writer.seal(second, { ...sampleRecord('reader', { team: 'alpha' }), sealedAt: 'T' });
    await writer.abandon(failed);
    await writer.close();

    const index = await readSecretsIndex(path);
    expect(index.sealedTokenIds).toEqual(new Set(['id-ingest', 'id-reader']));
    expect(index.unresolvedIntents.map((i) => i.name)).toEqual(['lost']);
    expect(index.header).toEqual({
      version: 2,
      recipients: [alice.recipient, bob.recipient].sort(),
      passphrase: false,
    });
    expect(index.entries[0]).toMatchObject({ name: 'ingest', expiresAt: '2026-01-01T00:00:00Z' });
    expect(index.entries[1]).toEqual({
      name: 'reader',
      team: 'alpha',
      tokenId: 'id-reader',
      createdAt: '2025-01-02T03:04:05Z',
      sealedAt: 'T',
      status: 'current',
    });

    for (const identity of [alice.identity, bob.identity]) {
      const records = await readSecrets(path, { identities: [identity] });
      expect(records.map((r) => r.accessToken)).toEqual([
        sampleRecord('ingest').accessToken,
        sampleRecord('reader').accessToken,
      ]);
      expect(records[1]).toEqual({ ...sampleRecord('reader', { team: 'alpha' }), sealedAt: 'T' });
      expect(records[0]!.sealedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }

    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('apiv1_');
    expect(text).not.toContain('secret description');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
  });

  it('serialises concurrent calls on one writer: every line whole, every record readable', async () => {
    const keys = await makeKeyPair();
    const path = join(await makeTempDir(), 'main.sealed');
    const writer = await openSecretsWriter(path, { recipients: [keys.recipient] });
    const names = Array.from({ length: 40 }, (_, i) => `token-${i}`);
    await Promise.all(
      names.map(async (name) =>
        writer.seal(await writer.beginCreate(name, null), sampleRecord(name)),
      ),
    );
    await writer.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).every((line) => JSON.parse(line) !== null)).toBe(true);
    const records = await readSecrets(path, { identities: [keys.identity] });
    expect(records.map((r) => r.name).sort()).toEqual([...names].sort());
  });

  it('appends to an existing file with the same recipients, in any order', async () => {
    const [a, b] = [await makeKeyPair(), await makeKeyPair()];
    const path = join(await makeTempDir(), 'main.sealed');
    await sealAll(path, [a.recipient, b.recipient], ['one']);
    await sealAll(path, [b.recipient, a.recipient, a.recipient], ['two']);
    const records = await readSecrets(path, { identities: [b.identity] });
    expect(records.map((r) => r.name)).toEqual(['one', 'two']);
  });

  it('refuses other recipients or a passphrase for an existing file', async () => {
    const [a, b] = [await makeKeyPair(), await makeKeyPair()];
    const path = join(await makeTempDir(), 'main.sealed');
    await sealAll(path, [a.recipient], ['one']);
    await expect(
      openSecretsWriter(path, { recipients: [a.recipient, b.recipient] }),
    ).rejects.toMatchObject({
      name: 'SecretsError',
      message: `${path} is sealed to other recipients (1) than this apply's (2)`,
      hint: "a secrets file's recipients never change: use another --secrets-file, or the same keys",
    });
    await expect(
      openSecretsWriter(path, { passphrase: 'pw' }, { label: 'x.sealed' }),
    ).rejects.toMatchObject({
      name: 'SecretsError',
      message: 'x.sealed is sealed to 1 recipient, not a passphrase',
    });
  });

  it('names the file and the recipient count, never the identity, on a wrong identity', async () => {
    const [a, b, stranger] = [await makeKeyPair(), await makeKeyPair(), await makeKeyPair()];
    const path = join(await makeTempDir(), 'x.sealed');
    await sealAll(path, [a.recipient, b.recipient], ['one']);
    const error = await readSecrets(
      path,
      { identities: [stranger.identity] },
      { label: 'secrets/x.sealed' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsError);
    expect((error as Error).message).toBe(
      'cannot open secrets/x.sealed with this identity (it is sealed to 2 recipients)',
    );
    expect(String((error as Error).stack)).not.toContain('AGE-SECRET-KEY');
  });

  it('refuses a symlink at the path and writes nothing through it', async () => {
    const keys = await makeKeyPair();
    const folder = await makeTempDir();
    const target = join(folder, 'target.sealed');
    await symlink(target, join(folder, 'dangling.sealed'));
    await expect(
      openSecretsWriter(join(folder, 'dangling.sealed'), { recipients: [keys.recipient] }),
    ).rejects.toThrow('dangling.sealed is a symbolic link; refusing to write secrets through it');
    await expect(stat(target)).rejects.toThrow('ENOENT');

    await sealAll(target, [keys.recipient], ['one']);
    await symlink(target, join(folder, 'link.sealed'));
    const before = await readFile(target, 'utf8');
    await expect(
      openSecretsWriter(join(folder, 'link.sealed'), { recipients: [keys.recipient] }),
    ).rejects.toThrow('is a symbolic link');
    expect(await readFile(target, 'utf8')).toBe(before);
  });

  it('refuses to append to a file that is not a provision secrets file, leaving it intact', async () => {
    const keys = await makeKeyPair();
    const folder = await makeTempDir();
    const cases = { 'tokens.yaml': 'tokens:\n  - name: a\n', 'empty.sealed': '', 'j.json': '{}\n' };
    for (const [name, content] of Object.entries(cases)) {
      const path = join(folder, name);
      await writeFile(path, content);
      const error = await openSecretsWriter(path, { recipients: [keys.recipient] }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SecretsError);
      expect((error as SecretsError).message).toBe(`${path} is not a provision secrets file`);
      expect(await readFile(path, 'utf8')).toBe(content);
    }
  });

  it('reads the file only if it is a regular file: a FIFO or a folder is one clear error', async () => {
    const folder = await makeTempDir();
    execFileSync('mkfifo', [join(folder, 'fifo.sealed')]);
    await expect(readSecretsIndex(join(folder, 'fifo.sealed'), { label: 'f' })).rejects.toThrow(
      'f is not a regular file (a pipe, socket or device); refusing to read it',
    );
    const keys = await makeKeyPair();
    await expect(
      readSecrets(folder, { identities: [keys.identity] }, { label: 'd' }),
    ).rejects.toThrow('d is a folder, not a file');
  });

  it('ignores a torn last line, and the next writer appends after it', async () => {
    const keys = await makeKeyPair();
    const path = join(await makeTempDir(), 'main.sealed');
    await sealAll(path, [keys.recipient], ['one', 'two', 'three']);
    const size = (await stat(path)).size;
    await truncate(path, size - 100); // cut "three"'s sealed line mid-record

    const index = await readSecretsIndex(path);
    expect(index.entries.map((e) => e.name)).toEqual(['one', 'two']);
    expect(index.unresolvedIntents.map((i) => i.name)).toEqual(['three']);
    expect((await readSecrets(path, { identities: [keys.identity] })).length).toBe(2);

    await sealAll(path, [keys.recipient], ['four']);
    const records = await readSecrets(path, { identities: [keys.identity] });
    expect(records.map((r) => r.name)).toEqual(['one', 'two', 'four']);
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(
      lines.filter((line) => line.startsWith('{"type":"sealed"') && !line.endsWith('}')),
    ).toHaveLength(1);
  });

  it('recovers a record that another writer appended right after a torn line', async () => {
    const keys = await makeKeyPair();
    const path = join(await makeTempDir(), 'main.sealed');
    const writer = await openSecretsWriter(path, { recipients: [keys.recipient] });
    await writer.seal(await writer.beginCreate('one', null), sampleRecord('one'));
    const intent = await writer.beginCreate('two', null);
    // A second process dies mid-write while this writer is still open.
    await appendFile(path, '{"type":"sealed","intent":"dead","name":"zz","data":"YWdl');
    await writer.seal(intent, sampleRecord('two'));
    await writer.close();
    const records = await readSecrets(path, { identities: [keys.identity] });
    expect(records.map((r) => r.name)).toEqual(['one', 'two']);
  });

  it('treats a seal for an intent it never issued as a bug', async () => {
    const keys = await makeKeyPair();
    const writer = await openSecretsWriter(join(await makeTempDir(), 's.sealed'), {
      recipients: [keys.recipient],
    });
    await expect(writer.seal('nope', sampleRecord('a'))).rejects.toBeInstanceOf(InternalError);
    const intent = await writer.beginCreate('a', null);
    await writer.abandon(intent);
    await expect(writer.seal(intent, sampleRecord('a'))).rejects.toBeInstanceOf(InternalError);
    await writer.close();
    await expect(writer.beginCreate('b', null)).rejects.toBeInstanceOf(InternalError);
  });

  it('a seal for the wrong name is a bug that leaves the intent open, so it can be abandoned', async () => {
    const keys = await makeKeyPair();
    const path = join(await makeTempDir(), 's.sealed');
    const writer = await openSecretsWriter(path, { recipients: [keys.recipient] });
    const intent = await writer.beginCreate('a', null);
    await expect(writer.seal(intent, sampleRecord('b'))).rejects.toBeInstanceOf(InternalError);
    await writer.abandon(intent);
    await writer.close();
    expect((await readSecretsIndex(path)).unresolvedIntents).toEqual([]);
  });

  it('records renames and revokes; a writer that seals nothing adds no key line', async () => {
    const keys = await makeKeyPair();
    const path = join(await makeTempDir(), 's.sealed');
    await sealAll(path, [keys.recipient], ['old', 'gone']);
    const before = (await readFile(path, 'utf8')).split('\n').length;
    const writer = await openSecretsWriter(path, { recipients: [keys.recipient] });
    await writer.recordRenamed('id-old', 'old', 'new');
    await writer.recordRevoked('id-gone', 'gone');
    await writer.close();
    const lines = (await readFile(path, 'utf8')).split('\n').slice(before - 1, -1);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { type: 'renamed', tokenId: 'id-old', from: 'old', to: 'new', at: expect.any(String) },
      { type: 'revoked', tokenId: 'id-gone', name: 'gone', at: expect.any(String) },
    ]);
    const index = await readSecretsIndex(path);
    expect(index.entries.map((e) => [e.name, e.sealedName, e.status])).toEqual([
      ['new', 'old', 'current'],
      ['gone', undefined, 'revoked'],
    ]);
  });

  it('rejects a bad recipient before touching the disk', async () => {
    const path = join(await makeTempDir(), 'sub', 's.sealed');
    await expect(openSecretsWriter(path, { recipients: ['age1nope'] })).rejects.toThrow(
      'not an age recipient in the recipients: "age1nope"',
    );
    await expect(stat(join(path, '..'))).rejects.toThrow('ENOENT');
  });
});
