import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { makeAgeKey, hasAge } from '../helpers/age-keys.js';
import { emulatorEnv, findSecrets, runCli, transcript } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';

// The attacks of issue 10, item 2, end to end: someone who can write the secrets file (it is
// committed, or kept as a CI artifact) but holds none of the trusted keys must not be able to
// read any string sealed after their edit. Every check of "the attacker opens nothing" uses
// the stock `age` CLI, with a key made by `age-keygen` at run time.

const isRoot = process.geteuid?.() === 0;
const managementTokens: string[] = [];

const manifest = (names: string[]) =>
  `version: 1\ntokens:\n${names.map((name) => `  - name: ${name}\n    description: ${name} token\n    read: [metrics]\n`).join('')}`;

let dir: string;
let emulator: RunningEmulator;
let victim: Awaited<ReturnType<typeof makeAgeKey>>;
let attacker: { identityFile: string; recipient: string };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'provision-trust-'));
  emulator = await startTestEmulator({ databases: ['metrics'] });
  managementTokens.push(emulator.managementToken);
  victim = await makeAgeKey(dir);
  // The attacker's key lives outside the project folder, made by the stock tool.
  const away = mkdtempSync(join(tmpdir(), 'provision-attacker-'));
  const identityFile = join(away, 'attacker.key');
  if (hasAge) {
    execFileSync('age-keygen', ['-o', identityFile], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', identityFile], { encoding: 'utf8' });
    attacker = { identityFile, recipient: recipient.trim() };
  } else {
    // The checks that open files with the stock tool skip; the others still need a key.
    const made = await makeAgeKey(away);
    attacker = { identityFile: made.identityFile, recipient: made.recipient };
  }
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(attacker.identityFile, '..'), { recursive: true, force: true });
});

afterAll(() => {
  expect(findSecrets(transcript.join('\n'), managementTokens)).toEqual([]);
});

function provision(args: string[]) {
  return runCli(args, {
    cwd: dir,
    env: { ...emulatorEnv(emulator), PROVISION_AGE_IDENTITY: victim.identityFile },
  });
}

const apply = () =>
  provision(['apply', '--yes', '--recipient', victim.recipient, '--secrets-file', 'tokens.sealed']);

async function applyNames(names: string[]): Promise<void> {
  writeFileSync(join(dir, 'tokens.yaml'), manifest(names));
  const run = await apply();
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}

/** Whether the stock `age` opens these bytes with the attacker's key. */
function attackerOpens(bytes: Buffer): boolean {
  return spawnSync('age', ['-d', '-i', attacker.identityFile], { input: bytes }).status === 0;
}

/** Every age payload a line of the secrets file carries (sealed records and keys). */
function agePayloads(file: string): Buffer[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const value = JSON.parse(line) as Record<string, unknown>;
        return [value.data, value.fileKey].filter((v): v is string => typeof v === 'string');
      } catch {
        return [];
      }
    })
    .map((base64) => Buffer.from(base64, 'base64'));
}

/** Rewrites every line of the file through `edit` (what an attacker with write access does). */
function tamper(file: string, edit: (value: Record<string, unknown>) => void): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  const edited = lines.map((line) => {
    if (line === '') return line;
    const value = JSON.parse(line) as Record<string, unknown>;
    edit(value);
    return JSON.stringify(value);
  });
  writeFileSync(file, edited.join('\n'));
}

function tokenCreates(): number {
  return emulator.store.tokens().length;
}

describe.skipIf(!hasAge)('the secrets file cannot choose the keys', () => {
  it("a header or key line whose fileRecipient is the attacker's: nothing new opens with their key", async () => {
    await applyNames(['first']);
    const file = join(dir, 'tokens.sealed');
    tamper(file, (value) => {
      if ('fileRecipient' in value) value.fileRecipient = attacker.recipient;
    });

    await applyNames(['first', 'second']);
    expect(emulator.store.tokens()).toHaveLength(2);
    const payloads = agePayloads(file);
    expect(payloads.length).toBeGreaterThanOrEqual(3);
    expect(payloads.filter(attackerOpens)).toEqual([]);

    const exported = await provision(['secrets', 'export', 'tokens.sealed', '-o', 'out.age']);
    // The tampered key can no longer be trusted: its record is named and skipped, the rest
    // exported, and the run fails so that no script takes the export for complete.
    expect(exported.code).toBe(1);
    expect(exported.stderr).toMatch(
      /^warning: tokens\.sealed: skipped the sealed record of "first" \(token "[0-9a-f-]{36}"\): its key line was tampered with \(its key is not its fileRecipient\)\nerror: 1 sealed record could not be read; the other 1 token were written\n$/,
    );
    expect(attackerOpens(readFileSync(join(dir, 'out.age')))).toBe(false);
    const plain = execFileSync('age', ['-d', '-i', victim.identityFile, join(dir, 'out.age')], {
      encoding: 'utf8',
    });
    expect((JSON.parse(plain) as { name: string }[]).map((r) => r.name)).toEqual(['second']);
  });

  it('a key line the attacker added (their identity, sealed to the victim too) is never used to seal', async () => {
    await applyNames(['first']);
    const file = join(dir, 'tokens.sealed');
    const lines = readFileSync(file, 'utf8').split('\n');
    // The attacker copies the existing key line, keeps its id, and points it at their key.
    const keyLine = lines
      .map((l) => (l ? (JSON.parse(l) as Record<string, unknown>) : {}))
      .find((v) => v.type === 'key');
    const forged = {
      ...(keyLine ?? { type: 'key', key: 'k', passphrase: false, at: 'now' }),
      recipients: [victim.recipient],
      fileRecipient: attacker.recipient,
      fileKey: execFileSync('age', ['-r', victim.recipient, '-r', attacker.recipient], {
        input: readFileSync(attacker.identityFile),
      }).toString('base64'),
    };
    writeFileSync(file, [lines[0], JSON.stringify(forged), ...lines.slice(1)].join('\n'));

    await applyNames(['first', 'second']);
    expect(agePayloads(file).filter((p) => attackerOpens(p) && p.length > 0)).toHaveLength(1); // their own key line
    const sealedData = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"type":"sealed"'))
      .map((l) => Buffer.from((JSON.parse(l) as { data: string }).data, 'base64'));
    expect(sealedData).toHaveLength(2);
    expect(sealedData.filter(attackerOpens)).toEqual([]);
  });

  it('a header whose recipients name the attacker: apply refuses, export never seals to them', async () => {
    await applyNames(['first']);
    const file = join(dir, 'tokens.sealed');
    tamper(file, (value) => {
      if ('format' in value) value.recipients = [attacker.recipient];
    });
    const exported = await provision(['secrets', 'export', 'tokens.sealed', '-o', 'out.age']);
    expect(exported.code).toBe(0);
    expect(attackerOpens(readFileSync(join(dir, 'out.age')))).toBe(false);

    writeFileSync(join(dir, 'tokens.yaml'), manifest(['first', 'second']));
    const before = tokenCreates();
    const run = await apply();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('tokens.sealed is sealed to other recipients');
    expect(tokenCreates()).toBe(before);
    expect(agePayloads(file).filter(attackerOpens)).toEqual([]);
  });
});

describe('a secrets file written by version 1', () => {
  it('is appended to by an apply, and exports old and new records', async () => {
    await applyNames(['first']);
    // Rewrite the file as version 1 wrote it: the same records, the file key in the header.
    const file = join(dir, 'tokens.sealed');
    const { readSecrets } = await import('../../src/secrets/index.js');
    const { writeVersion1File } = await import('../secrets/helpers.js');
    const old = await readSecrets(file, { identities: [victim.identity] });
    await writeVersion1File(file, { recipients: [victim.recipient] }, old);
    expect(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!)).toMatchObject({ version: 1 });

    await applyNames(['first', 'second']);
    const exported = await provision([
      'secrets',
      'export',
      'tokens.sealed',
      '--format',
      'json',
      '-o',
      'out.json',
    ]);
    expect({ code: exported.code, stderr: exported.stderr }).toEqual({ code: 0, stderr: '' });
    const records = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { name: string }[];
    const names = records.map((r) => r.name);
    expect(names).toEqual(['first', 'second']);
  });
});

describe('a secrets file that others could have written is refused before any change', () => {
  async function refused(expected: string): Promise<void> {
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['first', 'second']));
    const before = tokenCreates();
    const run = await apply();
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 1,
      stderr: `${expected}\n`,
    });
    expect(tokenCreates()).toBe(before);
  }

  it('a planted 0666 file', async () => {
    await applyNames(['first']);
    chmodSync(join(dir, 'tokens.sealed'), 0o666);
    await refused(
      'error: tokens.sealed is writable by other users (mode 0666); refusing to write secrets to it\nhint: chmod 600 tokens.sealed',
    );
  });

  it('a file in a world-writable folder without the sticky bit', async () => {
    mkdirSync(join(dir, 'shared'));
    chmodSync(join(dir, 'shared'), 0o777);
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['first']));
    const before = tokenCreates();
    const run = await provision([
      'apply',
      '--yes',
      '--recipient',
      victim.recipient,
      '--secrets-file',
      'shared/tokens.sealed',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'error: the folder of shared/tokens.sealed is writable by other users (mode 0777); refusing to write secrets in it\nhint: chmod go-w shared, or choose another --secrets-file\n',
    );
    expect(tokenCreates()).toBe(before);
  });

  it.skipIf(!isRoot)('a file owned by another user', async () => {
    await applyNames(['first']);
    chownSync(join(dir, 'tokens.sealed'), 65534, 65534);
    await refused(
      'error: tokens.sealed is owned by another user (uid 65534); refusing to write secrets to it\nhint: use a secrets file of your own (--secrets-file), or chown it back',
    );
  });
});
