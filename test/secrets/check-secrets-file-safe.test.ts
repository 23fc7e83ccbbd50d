import { execFileSync } from 'node:child_process';
import { chmod, chown, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretsError } from '../../src/errors.js';
import { checkSecretsFileSafe, openSecretsWriter } from '../../src/secrets/index.js';
import { makeKeyPair, makeTempDir, sampleRecord } from './helpers.js';

const isRoot = process.geteuid?.() === 0;

function refusal(path: string, label: string): { message: string; hint?: string } | null {
  try {
    checkSecretsFileSafe(path, label);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(SecretsError);
    const { message, hint } = error as SecretsError;
    return hint === undefined ? { message } : { message, hint };
  }
}

async function secretsFile(folder: string, mode: number): Promise<string> {
  const keys = await makeKeyPair();
  const path = join(folder, 's.sealed');
  const writer = await openSecretsWriter(path, { recipients: [keys.recipient] });
  await writer.seal(await writer.beginCreate('a', null), sampleRecord('a'));
  await writer.close();
  await chmod(path, mode);
  return path;
}

describe('checkSecretsFileSafe', () => {
  it.each([0o600, 0o640, 0o644, 0o400])('accepts a file of mode %o', async (mode) => {
    const path = await secretsFile(await makeTempDir(), mode);
    expect(refusal(path, 's.sealed')).toBeNull();
  });

  it.each([
    [0o666, '0666'],
    [0o620, '0620'],
    [0o602, '0602'],
  ])('refuses a file of mode %o, as ssh does', async (mode, shown) => {
    const path = await secretsFile(await makeTempDir(), mode);
    expect(refusal(path, 's.sealed')).toEqual({
      message: `s.sealed is writable by other users (mode ${shown}); refusing to write secrets to it`,
      hint: 'chmod 600 s.sealed',
    });
  });

  it('accepts a missing file, checking the nearest folder that exists', async () => {
    const folder = await makeTempDir();
    expect(refusal(join(folder, 'a', 'b', 's.sealed'), 'a/b/s.sealed')).toBeNull();
    await chmod(folder, 0o777);
    expect(refusal(join(folder, 'a', 'b', 's.sealed'), 'a/b/s.sealed')).toEqual({
      message:
        'the folder of a/b/s.sealed is writable by other users (mode 0777); refusing to write secrets in it',
      hint: `chmod go-w ${folder}, or choose another --secrets-file`,
    });
  });

  it('refuses a folder others can write without the sticky bit, accepts it with', async () => {
    const folder = await makeTempDir();
    await mkdir(join(folder, 'shared'));
    const path = await secretsFile(join(folder, 'shared'), 0o600);
    await chmod(join(folder, 'shared'), 0o770);
    expect(refusal(path, 'shared/s.sealed')).toEqual({
      message:
        'the folder of shared/s.sealed is writable by other users (mode 0770); refusing to write secrets in it',
      hint: 'chmod go-w shared, or choose another --secrets-file',
    });
    await chmod(join(folder, 'shared'), 0o1777);
    expect(refusal(path, 'shared/s.sealed')).toBeNull();
  });

  it('refuses a symlink and a FIFO at the path', async () => {
    const folder = await makeTempDir();
    const target = await secretsFile(folder, 0o600);
    await symlink(target, join(folder, 'link.sealed'));
    expect(refusal(join(folder, 'link.sealed'), 'link.sealed')).toEqual({
      message: 'link.sealed is a symbolic link; refusing to write secrets through it',
      hint: 'point --secrets-file at a regular file',
    });
    execFileSync('mkfifo', [join(folder, 'fifo.sealed')]);
    expect(refusal(join(folder, 'fifo.sealed'), 'fifo.sealed')).toEqual({
      message: 'fifo.sealed is not a regular file',
    });
  });

  it.skipIf(!isRoot)('refuses a file or a folder owned by another user', async () => {
    const folder = await makeTempDir();
    const path = await secretsFile(folder, 0o600);
    await chown(path, 65534, 65534);
    expect(refusal(path, 's.sealed')).toEqual({
      message: 's.sealed is owned by another user (uid 65534); refusing to write secrets to it',
      hint: 'use a secrets file of your own (--secrets-file), or chown it back',
    });
    await chown(path, 0, 0);
    await chown(folder, 65534, 65534);
    expect(refusal(path, 's.sealed')).toMatchObject({
      message: `the folder of s.sealed is owned by another user (uid 65534); refusing to write secrets in it`,
    });
  });
});

describe('openSecretsWriter on a file others could have written', () => {
  it('refuses it before writing a byte', async () => {
    const keys = await makeKeyPair();
    const path = await secretsFile(await makeTempDir(), 0o666);
    const before = await readFile(path, 'utf8');
    await expect(
      openSecretsWriter(path, { recipients: [keys.recipient] }, { label: 's.sealed' }),
    ).rejects.toMatchObject({
      message: 's.sealed is writable by other users (mode 0666); refusing to write secrets to it',
    });
    expect(await readFile(path, 'utf8')).toBe(before);
  });

  it('a file planted (0666) before the first apply is refused too', async () => {
    const keys = await makeKeyPair();
    const path = join(await makeTempDir(), 'planted.sealed');
    await writeFile(
      path,
      '{"format":"provision-secrets","version":2,"passphrase":false,"recipients":[]}\n',
    );
    await chmod(path, 0o666);
    await expect(openSecretsWriter(path, { recipients: [keys.recipient] })).rejects.toThrow(
      'is writable by other users (mode 0666)',
    );
  });
});
