import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { beforeEach, describe, expect, it } from 'vitest';
import { openSecretsWriter, readSecrets, type SecretRecord } from '../../src/secrets/index.js';
import { runCli } from '../helpers/cli.js';

const hasAge = spawnSync('age', ['--version']).status === 0;
const skipAge = hasAge ? '' : ' (SKIPPED the `age -d` check: no `age` on PATH)';

interface Person {
  identity: string;
  recipient: string;
  file: string;
}

let dir: string;
let alice: Person;
let bob: Person;
let carol: Person;

const record = (name: string, n: number): SecretRecord => ({
  name,
  team: null,
  tokenId: `0f8b6c1e-2a5d-4c3b-9e7f-00000000000${n}`,
  description: name,
  permissions: [{ action: 'read', resource: 'metrics' }],
  createdAt: `2026-01-0${n}T00:00:00Z`,
  accessToken: `apiv1_${name}_${'x'.repeat(30)}`,
  sealedAt: `2026-01-0${n}T00:00:01Z`,
});

async function person(name: string): Promise<Person> {
  const identity = await generateX25519Identity();
  const file = join(dir, `${name}.txt`);
  writeFileSync(file, `${identity}\n`, { mode: 0o600 });
  return { identity, recipient: await identityToRecipient(identity), file };
}

async function seal(recipients: string[], records: SecretRecord[]): Promise<void> {
  const writer = await openSecretsWriter(join(dir, 'tokens.sealed'), { recipients });
  for (const r of records) await writer.seal(await writer.beginCreate(r.name, r.team), r);
  await writer.close();
}

const opens = (who: Person) =>
  readSecrets(join(dir, 'tokens.sealed'), { identities: [who.identity] }).then(
    (records) => records.map((r) => r.name),
    () => [],
  );

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'provision-reseal-'));
  [alice, bob, carol] = [await person('alice'), await person('bob'), await person('carol')];
  writeFileSync(
    join(dir, 'tokens.yaml'),
    `version: 1\ntokens: []\noutputs:\n  secretsFile: tokens.sealed\n  recipients: [${alice.recipient}, ${carol.recipient}]\n`,
  );
  await seal([alice.recipient, bob.recipient], [record('ingest', 1), record('reader', 2)]);
  await seal([alice.recipient, bob.recipient], [record('ingest', 3)]); // a rotation, a second key line
});

const reseal = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runCli(['secrets', 'reseal', 'tokens.sealed', '-i', 'alice.txt', ...args], { cwd: dir, env });

describe('provision secrets reseal', () => {
  it(`re-encrypts everything to the new set, says who left and what to rotate${skipAge}`, async () => {
    const run = await reseal(['--recipient', alice.recipient, '--recipient', carol.recipient]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'Resealed tokens.sealed: 3 records, now sealed to 2 recipients.',
        `No longer a recipient: ${bob.recipient}`,
        'They cannot open anything written to this file from now on. They could open the strings already in it, and may have kept them: rotate the current tokens to make those worthless.',
        '  provision apply -f tokens.yaml --replace reader --replace ingest',
        "Keep tokens.yaml's recipients for this file the same as these, or the next apply refuses to append to it.",
        '',
      ].join('\n'),
    );
    expect(statSync(join(dir, 'tokens.sealed')).mode & 0o777).toBe(0o600);
    expect(await opens(bob)).toEqual([]);
    expect(await opens(carol)).toEqual(['ingest', 'reader', 'ingest']);

    // Written after the reseal, with the new set: still nothing for bob.
    await seal([alice.recipient, carol.recipient], [record('later', 4)]);
    expect(await opens(bob)).toEqual([]);
    expect(await opens(carol)).toContain('later');
    const refused = await runCli(
      ['secrets', 'export', 'tokens.sealed', '-i', 'bob.txt', '-o', 'bob.age'],
      { cwd: dir },
    );
    expect(refused.code).toBe(1);

    if (!hasAge) return;
    const exported = await runCli(
      ['secrets', 'export', 'tokens.sealed', '-i', 'carol.txt', '-o', 'out.age'],
      { cwd: dir },
    );
    expect(exported.code).toBe(0);
    const opened = spawnSync('age', ['-d', '-i', carol.file, join(dir, 'out.age')], {
      encoding: 'utf8',
    });
    expect(opened.status, opened.stderr).toBe(0);
    const names = (JSON.parse(opened.stdout) as SecretRecord[]).map((r) => r.name).sort();
    expect(names).toEqual(['ingest', 'later', 'reader']);
  });

  it('takes the recipients from the manifest when --recipient is not given', async () => {
    const run = await reseal([]);
    expect(run.code).toBe(0);
    expect(await opens(bob)).toEqual([]);
    expect(await opens(carol)).toHaveLength(3);
  });

  it('refuses, changing nothing, when the identity cannot open every record', async () => {
    // One record damaged: a reseal that dropped it would lose a string.
    const lines = readFileSync(join(dir, 'tokens.sealed'), 'utf8').split('\n');
    const last = lines.findLastIndex((line) => line.includes('"type":"sealed"'));
    lines[last] = lines[last]!.replace(
      /"data":"[^"]*"/,
      `"data":"${Buffer.from('not age').toString('base64')}"`,
    );
    writeFileSync(join(dir, 'tokens.sealed'), lines.join('\n'));
    const before = readFileSync(join(dir, 'tokens.sealed'));
    const run = await reseal(['--recipient', carol.recipient]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: cannot reseal tokens\.sealed: 1 sealed record\(s\) could not be opened or trusted .*; nothing was changed\nhint: use an identity \(-i\) that opens every record; a reseal never drops one\n$/,
    );
    expect(readFileSync(join(dir, 'tokens.sealed'))).toEqual(before);
  });

  it.each(['written', 'renamed'] as const)(
    'kill -9 once the new file is %s leaves the old file or the new one, never a mix',
    async (stage) => {
      const before = readFileSync(join(dir, 'tokens.sealed'));
      const run = await reseal(['--recipient', carol.recipient], {
        PROVISION_KILL_AT: `reseal:${stage}`,
      });
      expect(run.signal).toBe('SIGKILL');
      const after = readFileSync(join(dir, 'tokens.sealed'));
      if (stage === 'written') {
        expect(after).toEqual(before);
        expect(await opens(alice)).toEqual(['ingest', 'reader', 'ingest']);
        expect(await opens(carol)).toEqual([]);
      } else {
        expect(await opens(carol)).toEqual(['ingest', 'reader', 'ingest']);
        expect(await opens(alice)).toEqual([]);
        expect(await opens(bob)).toEqual([]);
      }
      expect(statSync(join(dir, 'tokens.sealed')).mode & 0o777).toBe(0o600);
      // What a kill leaves aside is private, and the next reseal is unaffected by it.
      for (const name of readdirSync(dir).filter((n) => n.endsWith('.reseal.tmp'))) {
        expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
      }
    },
  );
});
