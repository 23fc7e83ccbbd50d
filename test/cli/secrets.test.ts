import { hasAge } from '../helpers/age-keys.js';
import { spawn, spawnSync } from 'node:child_process';
import { recordTranscript } from '../helpers/cli.js';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { Decrypter, armor, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openSecretsWriter,
  readSecretsIndex,
  type SecretRecord,
  type WritingKeys,
} from '../../src/secrets/index.js';

// scrypt (work factor 18) takes seconds each on a loaded 2-core machine; these tests run several.
const SCRYPT_TIMEOUT_MS = 180_000;

const repoRoot = resolve(import.meta.dirname, '../..');
const bin = join(repoRoot, 'bin/provision.js');
const skipAge = hasAge ? '' : ' (SKIPPED the `age -d` check: no `age` on PATH)';

interface Run {
  code: number | null;
  stdout: Buffer;
  out: string;
  err: string;
}

let cwd: string;
let alice: { identity: string; recipient: string };
let bob: { identity: string; recipient: string };

/** Runs the built CLI in the test folder with a clean environment. */
async function provision(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('PROVISION_')),
  );
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...clean, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const stdout = Buffer.concat(out);
  recordTranscript(args, stdout.toString('utf8') + Buffer.concat(err).toString('utf8'));
  return { code, stdout, out: stdout.toString('utf8'), err: Buffer.concat(err).toString('utf8') };
}

function expectNoSecrets(run: Run): void {
  expect(run.out + run.err).not.toMatch(/apiv1_|AGE-SECRET-KEY-1|secret description/);
}

const base = {
  description: 'secret description',
  permissions: [{ action: 'read' as const, resource: 'metrics' }],
  createdAt: '2025-01-02T03:04:05Z',
  sealedAt: '2025-01-02T03:04:06Z',
};
const records: SecretRecord[] = [
  {
    ...base,
    name: 'ingest',
    team: null,
    tokenId: 'id-ingest',
    expiresAt: '2026-01-01T00:00:00Z',
    accessToken: 'apiv1_ingest',
  },
  { ...base, name: 'reader', team: 'alpha', tokenId: 'id-reader', accessToken: "apiv1_it's" },
];

/** `records` as decrypt and export print them: each with its standing. */
const exported = records.map((record) => ({ ...record, status: 'current' }));

async function makeFile(path: string, keys: WritingKeys): Promise<void> {
  const writer = await openSecretsWriter(join(cwd, path), keys);
  for (const record of records) {
    await writer.seal(await writer.beginCreate(record.name, record.team), record);
  }
  await writer.beginCreate('lost', null);
  await writer.close();
}

async function makeKeyPair() {
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/cli/run.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first');
  }
  cwd = await mkdtemp(join(tmpdir(), 'provision-cli-secrets-'));
  [alice, bob] = [await makeKeyPair(), await makeKeyPair()];
  await writeFile(join(cwd, 'alice.txt'), `# alice\n${alice.identity}\n`, { mode: 0o600 });
  await writeFile(join(cwd, 'bob.txt'), `${bob.identity}\n`, { mode: 0o600 });
  await writeFile(join(cwd, 'tokens.yaml'), 'tokens: []\n');
  await mkdir(join(cwd, 'secrets'));
  await makeFile('secrets/x.sealed', { recipients: [alice.recipient] });
});

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('provision secrets list', () => {
  it('prints names, teams, ids and times, never strings', async () => {
    const run = await provision(['secrets', 'list', 'secrets/x.sealed']);
    expect(run.out).toBe(
      [
        'NAME    TEAM   TOKEN ID   CREATED               EXPIRES               STATUS',
        'ingest  -      id-ingest  2025-01-02T03:04:05Z  2026-01-01T00:00:00Z  current',
        'reader  alpha  id-reader  2025-01-02T03:04:05Z  -                     current',
        '2 tokens sealed',
        '',
      ].join('\n'),
    );
    expect(run.err).toBe(
      'warning: 1 create never sealed (interrupted or outcome unknown): lost; the next apply reconciles them\n',
    );
    expect(run.code).toBe(0);
    expectNoSecrets(run);
  });

  it('prints the index as JSON', async () => {
    const run = await provision(['secrets', 'list', 'secrets/x.sealed', '--format', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual(
      (await readSecretsIndex(join(cwd, 'secrets/x.sealed'))).entries,
    );
    expectNoSecrets(run);
  });

  it.each([
    [['secrets/missing.sealed'], 'error: secrets/missing.sealed: no such file\n'],
    [['tokens.yaml'], 'error: tokens.yaml is not a provision secrets file\n'],
  ])('fails with one clear line for %j', async (args, stderr) => {
    const run = await provision(['secrets', 'list', ...args]);
    expect({ code: run.code, out: run.out, err: run.err }).toEqual({
      code: 1,
      out: '',
      err: stderr,
    });
  });
});

describe('provision secrets decrypt', () => {
  it('prints the plaintext records with -i or PROVISION_AGE_IDENTITY', async () => {
    for (const [args, env] of [
      [['-i', 'alice.txt'], {}],
      [[], { PROVISION_AGE_IDENTITY: join(cwd, 'alice.txt') }],
    ] as const) {
      const run = await provision(['secrets', 'decrypt', 'secrets/x.sealed', ...args], env);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.out)).toEqual(exported);
    }
  });

  it.each([
    [
      ['-i', 'bob.txt'],
      'error: cannot open secrets/x.sealed with this identity (it is sealed to 1 recipient)\n',
    ],
    [
      [],
      'error: no key to open the secrets file\nhint: pass -i IDENTITY_FILE, or set PROVISION_AGE_IDENTITY (a file path) or PROVISION_PASSPHRASE\n',
    ],
    [['-i', 'nope.txt'], 'error: nope.txt: no such file\n'],
  ])('fails clearly with %j', async (args, stderr) => {
    const run = await provision(['secrets', 'decrypt', 'secrets/x.sealed', ...args]);
    expect({ code: run.code, out: run.out, err: run.err }).toEqual({
      code: 1,
      out: '',
      err: stderr,
    });
  });
});

describe('provision secrets export', () => {
  it(`writes a 0600 age file to the reader's own recipient that age -d opens${skipAge}`, async () => {
    const run = await provision([
      'secrets',
      'export',
      'secrets/x.sealed',
      '-i',
      'alice.txt',
      '-o',
      'out.age',
    ]);
    expect({ code: run.code, out: run.out, err: run.err }).toEqual({
      code: 0,
      out: '2 tokens exported to out.age\n',
      err: '',
    });
    expect((await stat(join(cwd, 'out.age'))).mode & 0o777).toBe(0o600);
    if (hasAge) {
      const plain = spawnSync('age', ['-d', '-i', 'alice.txt', 'out.age'], {
        cwd,
        encoding: 'utf8',
      });
      expect(plain.stderr).toBe('');
      expect(JSON.parse(plain.stdout)).toEqual(exported);
    }
  });

  it(`re-encrypts to --recipient, armored to stdout${skipAge}`, async () => {
    const args = ['secrets', 'export', 'secrets/x.sealed', '--recipient', bob.recipient, '--armor'];
    const run = await provision(args, { PROVISION_AGE_IDENTITY: 'alice.txt' });
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    expect(run.out).toMatch(
      /^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]+-----END AGE ENCRYPTED FILE-----\n$/,
    );
    expectNoSecrets(run);
    const decrypter = new Decrypter();
    decrypter.addIdentity(bob.identity);
    expect(JSON.parse(await decrypter.decrypt(armor.decode(run.out), 'text'))).toEqual(exported);
    if (hasAge) {
      const plain = spawnSync('age', ['-d', '-i', 'bob.txt'], {
        cwd,
        input: run.out,
        encoding: 'utf8',
      });
      expect(JSON.parse(plain.stdout)).toEqual(exported);
    }
  });

  it('writes binary age to a pipe', async () => {
    const run = await provision(['secrets', 'export', 'secrets/x.sealed', '-i', 'alice.txt']);
    expect(run.code).toBe(0);
    expect(run.stdout.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expectNoSecrets(run);
  });

  it('exports env lines for sourcing', async () => {
    const run = await provision([
      'secrets',
      'export',
      'secrets/x.sealed',
      '-i',
      'alice.txt',
      '--format',
      'env',
    ]);
    expect(run.code).toBe(0);
    expect(run.out).toBe(
      `PROVISION_TOKEN_INGEST='apiv1_ingest'\nPROVISION_TOKEN_READER='apiv1_it'\\''s'\n`,
    );
  });

  it('refuses a recipient that is not one, without touching the output', async () => {
    const run = await provision([
      'secrets',
      'export',
      'secrets/x.sealed',
      '-i',
      'alice.txt',
      '--recipient',
      'age1bad',
      '-o',
      'never.age',
    ]);
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      'error: not an age recipient in --recipient: "age1bad"\nhint: recipients look like age1… (age-keygen -y KEYFILE prints one)\n',
    );
    expect(existsSync(join(cwd, 'never.age'))).toBe(false);
  });

  it('refuses binary age output to a terminal, before reading any key', async () => {
    const { secretsExportCommand } = await import('../../src/cli/commands/secrets.js');
    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    const io = {
      cwd,
      env: {},
      stdin: new PassThrough(),
      stdout,
      stderr: new PassThrough(),
      interactive: true,
      color: false,
    };
    await expect(secretsExportCommand({ file: 'secrets/x.sealed' }, io)).rejects.toMatchObject({
      name: 'UsageError',
      message: 'refusing to write a binary age file to the terminal',
      hint: 'use -o FILE, --armor, or redirect stdout',
    });
    expect(stdout.read()).toBeNull();
  });

  it('refuses to overwrite the secrets file with its own export', async () => {
    const before = await readFile(join(cwd, 'secrets/x.sealed'));
    const run = await provision([
      'secrets',
      'export',
      'secrets/x.sealed',
      '-i',
      'alice.txt',
      '--format',
      'json',
      '-o',
      './secrets/../secrets/x.sealed',
    ]);
    expect({ code: run.code, out: run.out, err: run.err }).toEqual({
      code: 1,
      out: '',
      err: 'error: refusing to overwrite the secrets file secrets/x.sealed with its export\nhint: choose another -o FILE\n',
    });
    expect(await readFile(join(cwd, 'secrets/x.sealed'))).toEqual(before);
  });

  it(
    'passphrase files: list without a key, export with the passphrase',
    { timeout: SCRYPT_TIMEOUT_MS },
    async () => {
      await makeFile('secrets/pw.sealed', { passphrase: 'hunter2 hunter2' });
      const list = await provision(['secrets', 'list', 'secrets/pw.sealed']);
      expect(list.out.split('\n').at(-2)).toBe('2 tokens sealed');
      const run = await provision(['secrets', 'export', 'secrets/pw.sealed', '-o', 'pw.age'], {
        PROVISION_PASSPHRASE: 'hunter2 hunter2',
        PROVISION_AGE_IDENTITY: 'alice.txt', // set too, but a passphrase file needs the passphrase
      });
      expect({ code: run.code, out: run.out, err: run.err }).toEqual({
        code: 0,
        out: '2 tokens exported to pw.age\n',
        err: '',
      });
      // The age CLI would ask for the passphrase on a terminal, so decrypt it here.
      const decrypter = new Decrypter();
      decrypter.addPassphrase('hunter2 hunter2');
      const plain = await decrypter.decrypt(await readFile(join(cwd, 'pw.age')), 'text');
      expect(JSON.parse(plain)).toEqual(exported);
    },
  );
});

describe('the secrets file tells the truth', () => {
  const record = (name: string, tokenId: string, accessToken: string): SecretRecord => ({
    ...base,
    name,
    team: null,
    tokenId,
    accessToken,
  });

  // A rotation (ingest sealed twice), a rename, a revoke, and a create that needed a retry
  // (its first intent never resolved, the second sealed).
  beforeAll(async () => {
    const writer = await openSecretsWriter(join(cwd, 'secrets/history.sealed'), {
      recipients: [alice.recipient],
    });
    const seal = async (r: SecretRecord) => writer.seal(await writer.beginCreate(r.name, null), r);
    await seal(record('ingest', 'id-ingest-1', 'apiv1_ingest_old'));
    await seal(record('ingest', 'id-ingest-2', 'apiv1_ingest_new'));
    await seal(record('old-name', 'id-reader', 'apiv1_reader'));
    await writer.recordRenamed('id-reader', 'old-name', 'reader');
    await seal(record('gone', 'id-gone', 'apiv1_gone'));
    await writer.recordRevoked('id-gone', 'gone');
    await writer.beginCreate('retried', null); // its response was lost
    await seal(record('retried', 'id-retried', 'apiv1_retried'));
    await writer.close();
  });

  it('list: current names, superseded and revoked marked, no warning for a retried create', async () => {
    const run = await provision(['secrets', 'list', 'secrets/history.sealed']);
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    expect(run.out).toBe(
      [
        'NAME                   TEAM  TOKEN ID     CREATED               EXPIRES  STATUS',
        'ingest                 -     id-ingest-1  2025-01-02T03:04:05Z  -        superseded',
        'ingest                 -     id-ingest-2  2025-01-02T03:04:05Z  -        current',
        'reader (was old-name)  -     id-reader    2025-01-02T03:04:05Z  -        current',
        'gone                   -     id-gone      2025-01-02T03:04:05Z  -        revoked',
        'retried                -     id-retried   2025-01-02T03:04:05Z  -        current',
        '5 tokens sealed: 3 current, 1 superseded, 1 revoked',
        '',
      ].join('\n'),
    );
  });

  it('export: only the current token of each name by default, under its current name', async () => {
    const args = ['secrets', 'export', 'secrets/history.sealed', '-i', 'alice.txt'];
    const json = await provision([...args, '--format', 'json']);
    expect({ code: json.code, err: json.err }).toEqual({ code: 0, err: '' });
    const current = JSON.parse(json.out) as { name: string; tokenId: string; status: string }[];
    expect(current.map((r) => [r.name, r.tokenId, r.status])).toEqual([
      ['ingest', 'id-ingest-2', 'current'],
      ['reader', 'id-reader', 'current'],
      ['retried', 'id-retried', 'current'],
    ]);
    expect(current[1]).toMatchObject({ sealedName: 'old-name' });

    const env = await provision([...args, '--format', 'env']);
    expect(env.out).toBe(
      "PROVISION_TOKEN_INGEST='apiv1_ingest_new'\nPROVISION_TOKEN_READER='apiv1_reader'\nPROVISION_TOKEN_RETRIED='apiv1_retried'\n",
    );

    const all = await provision([...args, '--format', 'json', '--all']);
    const history = JSON.parse(all.out) as {
      tokenId: string;
      status: string;
      revokedAt?: string;
    }[];
    expect(history.map((r) => [r.tokenId, r.status])).toEqual([
      ['id-ingest-1', 'superseded'],
      ['id-ingest-2', 'current'],
      ['id-reader', 'current'],
      ['id-gone', 'revoked'],
      ['id-retried', 'current'],
    ]);
    expect(history[3]!.revokedAt).toMatch(/^\d{4}-/);

    const refused = await provision([...args, '--format', 'env', '--all']);
    expect({ code: refused.code, out: refused.out, err: refused.err }).toEqual({
      code: 1,
      out: '',
      err: 'error: --all does not go with --format env: a variable holds one string\nhint: export --all --format json (or age) for the history\n',
    });
  });
});

describe('one bad record is named and skipped, the rest still come out', () => {
  /** A copy of x.sealed with `edit` applied to its sealed lines (index 0: ingest, 1: reader). */
  async function damagedCopy(
    name: string,
    edit: (sealed: Record<string, unknown>[]) => void,
  ): Promise<string> {
    const lines = (await readFile(join(cwd, 'secrets/x.sealed'), 'utf8')).split('\n');
    const parsed = lines.map((line) =>
      line ? (JSON.parse(line) as Record<string, unknown>) : null,
    );
    edit(parsed.filter((line): line is Record<string, unknown> => line?.type === 'sealed'));
    const text = parsed.map((line) => (line === null ? '' : JSON.stringify(line))).join('\n');
    await writeFile(join(cwd, `secrets/${name}`), text, { mode: 0o600 });
    return `secrets/${name}`;
  }

  const flip = (base64: string) => {
    const bytes = Buffer.from(base64, 'base64');
    bytes[bytes.length - 20]! ^= 0xff; // inside the payload: the MAC no longer matches
    return bytes.toString('base64');
  };

  it.each([
    [
      'damaged data',
      (sealed: Record<string, unknown>[]) => {
        sealed[0]!.data = flip(sealed[0]!.data as string);
      },
      [
        'warning: FILE: skipped the sealed record of "ingest" (token "id-ingest"): it is damaged (it does not decrypt)',
      ],
      ['reader'],
    ],
    [
      'a plaintext name that differs from the sealed one',
      (sealed: Record<string, unknown>[]) => {
        sealed[0]!.name = 'admin';
      },
      [
        'warning: FILE: skipped the sealed record of "admin" (token "id-ingest"): it was tampered with (its plaintext fields differ from the sealed record)',
      ],
      ['reader'],
    ],
    [
      'data swapped between two lines',
      (sealed: Record<string, unknown>[]) => {
        [sealed[0]!.data, sealed[1]!.data] = [sealed[1]!.data, sealed[0]!.data];
      },
      [
        'warning: FILE: skipped the sealed record of "ingest" (token "id-ingest"): it was tampered with (its plaintext fields differ from the sealed record)',
        'warning: FILE: skipped the sealed record of "reader" (token "id-reader"): it was tampered with (its plaintext fields differ from the sealed record)',
      ],
      [],
    ],
  ])('%s: decrypt and export exit 1 after writing the rest', async (_, edit, warnings, kept) => {
    const file = await damagedCopy(`bad-${kept.length}-${warnings[0]!.length}.sealed`, edit);
    const expectedErr = [
      ...warnings.map((w) => w.replace('FILE', file)),
      `error: ${warnings.length} sealed record${warnings.length === 1 ? '' : 's'} could not be read; the other ${kept.length} token${kept.length === 1 ? '' : 's'} were written`,
      '',
    ].join('\n');
    const decrypted = await provision(['secrets', 'decrypt', file, '-i', 'alice.txt']);
    expect({ code: decrypted.code, err: decrypted.err }).toEqual({ code: 1, err: expectedErr });
    expect((JSON.parse(decrypted.out) as { name: string }[]).map((r) => r.name)).toEqual(kept);

    const out = `${file}.json`;
    const run = await provision([
      'secrets',
      'export',
      file,
      '-i',
      'alice.txt',
      '--format',
      'json',
      '-o',
      out,
    ]);
    expect({ code: run.code, err: run.err }).toEqual({ code: 1, err: expectedErr });
    const written = JSON.parse(await readFile(join(cwd, out), 'utf8')) as { name: string }[];
    expect(written.map((r) => r.name)).toEqual(kept);
    expectNoSecrets(run);
    expect(decrypted.err).not.toMatch(/apiv1_|AGE-SECRET-KEY-1/);
  });
});
