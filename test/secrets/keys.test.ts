import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { keysForWriting, loadIdentities } from '../../src/secrets/index.js';
import { makeKeyPair, makeTempDir } from './helpers.js';

async function failure(run: () => unknown): Promise<UsageError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('keysForWriting', () => {
  it('merges manifest, flag and environment recipients, sorted and unique', async () => {
    const [a, b, c] = [await makeKeyPair(), await makeKeyPair(), await makeKeyPair()];
    const keys = keysForWriting({
      manifestRecipients: [c.recipient, a.recipient],
      flagRecipients: [a.recipient],
      env: {
        PROVISION_AGE_RECIPIENTS: ` ${b.recipient},${c.recipient}\n`,
        PROVISION_PASSPHRASE: 'x',
      },
    });
    expect(keys).toEqual({ recipients: [a.recipient, b.recipient, c.recipient].sort() });
  });

  it('uses the passphrase only when there is no recipient', () => {
    expect(
      keysForWriting({ env: { PROVISION_PASSPHRASE: 'pw', PROVISION_AGE_RECIPIENTS: ' ' } }),
    ).toEqual({
      passphrase: 'pw',
    });
  });

  it('says who could open the file when no one could', async () => {
    const error = await failure(() => keysForWriting({ env: { PROVISION_PASSPHRASE: '' } }));
    expect(error.message).toBe(
      'no one could open the secrets file: add outputs.recipients, --recipient age1…, or PROVISION_PASSPHRASE',
    );
  });

  it.each([
    [['age1qqqq'], 'not an age recipient in --recipient: "age1qqqq"'],
    [
      ['apiv1_secret'],
      'not an age recipient in --recipient: recipient #1 (not shown: it does not start with age1)',
    ],
    [
      ['AGE-SECRET-KEY-1ABC'],
      'an age identity (secret key) was given as a recipient in --recipient',
    ],
  ])('names a bad recipient %j only when it is safe to print', async (flagRecipients, message) => {
    const error = await failure(() => keysForWriting({ flagRecipients, env: {} }));
    expect(error.message).toBe(message);
    expect(`${error.message} ${error.hint}`).not.toMatch(/apiv1_|SECRET-KEY-1/);
  });
});

describe('loadIdentities', () => {
  it('reads -i FILE first, then PROVISION_AGE_IDENTITY, then PROVISION_PASSPHRASE', async () => {
    const [a, b] = [await makeKeyPair(), await makeKeyPair()];
    const cwd = await makeTempDir();
    await writeFile(join(cwd, 'a.txt'), `# created: now\n# public key: x\n\n${a.identity}\n`);
    await writeFile(join(cwd, 'b.txt'), `${b.identity}\r\n${a.identity}\n`);
    const env = { PROVISION_AGE_IDENTITY: 'b.txt', PROVISION_PASSPHRASE: 'pw' };
    expect(await loadIdentities({ identityFile: 'a.txt', env, cwd })).toEqual({
      identities: [a.identity],
    });
    expect(await loadIdentities({ env, cwd })).toEqual({ identities: [b.identity, a.identity] });
    expect(await loadIdentities({ env: { PROVISION_PASSPHRASE: 'pw' }, cwd })).toEqual({
      passphrase: 'pw',
    });
  });

  it('fails clearly, without printing file contents', async () => {
    const { identity } = await makeKeyPair();
    const cwd = await makeTempDir();
    await writeFile(join(cwd, 'bad.txt'), `# ok\n${identity}\n${identity.slice(0, -2)}xx\n`);
    await writeFile(join(cwd, 'empty.txt'), '# nothing\n');
    // A FIFO with no writer would block a plain read forever.
    execFileSync('mkfifo', [join(cwd, 'fifo.txt')]);
    const cases: [Parameters<typeof loadIdentities>[0], string][] = [
      [{ env: {}, cwd }, 'no key to open the secrets file'],
      [{ identityFile: 'missing.txt', env: {}, cwd }, 'missing.txt: no such file'],
      [
        { env: { PROVISION_AGE_IDENTITY: 'bad.txt' }, cwd },
        'bad.txt (PROVISION_AGE_IDENTITY):3: not an age identity',
      ],
      [{ identityFile: 'empty.txt', env: {}, cwd }, 'empty.txt: no age identity in the file'],
      [
        { identityFile: 'fifo.txt', env: {}, cwd },
        'fifo.txt is not a regular file (a pipe, socket or device); refusing to read it',
      ],
      [{ identityFile: '.', env: {}, cwd }, '. is a folder, not a file'],
    ];
    for (const [options, message] of cases) {
      const error = await failure(() => loadIdentities(options));
      expect(error.message).toBe(message);
      expect(`${error.message} ${error.hint}`).not.toMatch(/AGE-SECRET-KEY-1[0-9A-Z]{10}/);
    }
  });
});
