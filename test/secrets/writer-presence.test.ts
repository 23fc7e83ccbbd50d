import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSecretsWriter, readSecrets, resealSecretsFile } from '../../src/secrets/index.js';
import { lockForReseal } from '../../src/secrets/writer-presence.js';
import { makeKeyPair, makeTempDir, sampleRecord } from './helpers.js';

// A reseal renames a new file over the old one. A writer that still holds the old file open
// (an apply in progress, a delivery run) would append to the old inode from then on, and
// every string it sealed after the rename would be lost with it. Writers and reseals
// announce themselves beside the file so that this cannot happen.

async function seal(writer: Awaited<ReturnType<typeof openSecretsWriter>>, name: string) {
  const intent = await writer.beginCreate(name, null);
  await writer.seal(intent, sampleRecord(name));
}

async function names(path: string, identities: string[]): Promise<string[]> {
  return (await readSecrets(path, { identities })).map((record) => record.name).sort();
}

describe('a reseal and a writer on one secrets file', () => {
  it('a reseal refuses while an apply holds the file open, so nothing it seals later is lost', async () => {
    const dir = await makeTempDir();
    const path = join(dir, 'tokens.sealed');
    const [before, after] = [await makeKeyPair(), await makeKeyPair()];
    const writer = await openSecretsWriter(path, { recipients: [before.recipient] });
    await seal(writer, 'first');
    const attempt = await resealSecretsFile(
      path,
      { identities: [before.identity] },
      { recipients: [after.recipient] },
    ).then(
      () => null,
      (error: unknown) => error,
    );
    // The apply goes on: what it seals now must be in the file at the path, not in a lost
    // inode, whatever the reseal did.
    await seal(writer, 'second');
    await writer.close();
    expect(await names(path, [before.identity, after.identity])).toEqual(['first', 'second']);
    expect(String(attempt)).toMatch(
      /is writing to it \(an apply or a delivery\); nothing was changed/,
    );

    // Once the writer is gone the reseal runs, and only the new key opens the file.
    await resealSecretsFile(
      path,
      { identities: [before.identity] },
      { recipients: [after.recipient] },
    );
    expect(await names(path, [after.identity])).toEqual(['first', 'second']);
    await expect(readSecrets(path, { identities: [before.identity] })).rejects.toThrow();
    // No marker or lock is left beside the file.
    expect(readdirSync(dir)).toEqual(['tokens.sealed']);
  });

  it('a writer refuses, writing nothing, while a reseal holds the lock', async () => {
    const dir = await makeTempDir();
    const path = join(dir, 'tokens.sealed');
    const key = await makeKeyPair();
    const first = await openSecretsWriter(path, { recipients: [key.recipient] });
    await seal(first, 'first');
    await first.close();
    const bytes = readFileSync(path);

    const release = await lockForReseal(path, 'tokens.sealed');
    await expect(openSecretsWriter(path, { recipients: [key.recipient] })).rejects.toThrow(
      /tokens\.sealed is being resealed \(process \d+\); nothing was written/,
    );
    expect(readFileSync(path)).toEqual(bytes);
    await release();

    const again = await openSecretsWriter(path, { recipients: [key.recipient] });
    await seal(again, 'second');
    await again.close();
    expect(await names(path, [key.identity])).toEqual(['first', 'second']);
  });

  it('markers and locks left by a killed process are ignored', async () => {
    const dir = await makeTempDir();
    const path = join(dir, 'tokens.sealed');
    const [before, after] = [await makeKeyPair(), await makeKeyPair()];
    const writer = await openSecretsWriter(path, { recipients: [before.recipient] });
    await seal(writer, 'first');
    await writer.close();
    // A process that has exited: its pid is no longer alive.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const folder = join(dirname(path), `.${basename(path)}.writers`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${gone}.stale`), `${gone}\n`);
    writeFileSync(join(dirname(path), `.${basename(path)}.reseal`), `${gone}\n`);

    await resealSecretsFile(
      path,
      { identities: [before.identity] },
      { recipients: [after.recipient] },
    );
    expect(await names(path, [after.identity])).toEqual(['first']);
    expect(existsSync(join(folder, `${gone}.stale`))).toBe(false);
    const late = await openSecretsWriter(path, { recipients: [after.recipient] });
    await seal(late, 'second');
    await late.close();
    expect(await names(path, [after.identity])).toEqual(['first', 'second']);
  });
});
