import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { hasAge } from '../helpers/age-keys.js';
import { findSecrets } from '../helpers/cli.js';
import { clientFor } from '../helpers/emulator.js';
import { expectNoSecretsPrinted, startTestProject, type TestProject } from '../helpers/project.js';
import { checkInvariants } from '../helpers/invariants.js';

const MANIFEST = `version: 1
tokens:
  - name: sensors-rw
    description: Read/write token for sensors
    read: [sensors]
    write: [sensors]
  - name: all-rw
    description: Read/write on all databases
    read: ["*"]
    write: ["*"]
  - name: metrics-ro
    description: Read-only on metrics
    read: [metrics]
    expiresIn: 90d
  - name: two-ro
    description: Read-only on metrics and logs
    read: [metrics, logs]
  - name: mixed
    description: Read on logs, write on sensors
    read: [logs]
    write: [sensors]
`;

expectNoSecretsPrinted();

let project: TestProject;
let dir: string;
let emulator: RunningEmulator;
let key: TestProject['key'];

beforeEach(async () => {
  project = await startTestProject({
    prefix: 'apply',
    manifest: MANIFEST,
    emulator: { databases: ['sensors', 'metrics', 'logs'] },
  });
  ({ dir, emulator, key } = project);
});

function provision(args: string[], extra: NodeJS.ProcessEnv = {}) {
  return project.provision(args, { env: extra });
}

const applyArgs = () => project.applyArgs();

async function probe(token: string, action: 'read' | 'write', db: string): Promise<number> {
  const url =
    action === 'write'
      ? `${emulator.clusterUrl}/api/v2/write?bucket=${db}`
      : `${emulator.clusterUrl}/query?db=${db}&q=${encodeURIComponent('SELECT 1')}`;
  const response = await fetch(url, {
    method: action === 'write' ? 'POST' : 'GET',
    headers: { Authorization: `Token ${token}` },
    body: action === 'write' ? 'm,host=a v=1' : null,
  });
  return response.status;
}

describe('provision apply', () => {
  it('creates and seals every token, then plans no changes', async () => {
    const first = await provision(applyArgs());
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Plan: 5 to create, 0 to update, 0 to replace, 0 to revoke.');
    expect(first.stdout).toMatch(
      /Apply complete: 5 created, 0 updated, 0 replaced, 0 revoked, 0 failed/,
    );
    expect(statSync(join(dir, 'tokens.sealed')).mode & 0o777).toBe(0o600);

    const again = await provision(['plan', '--detailed-exitcode']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes.');

    const report = await checkInvariants(emulator, [join(dir, 'tokens.sealed')], key.identity, []);
    expect(report).toMatchObject({ duplicates: [], unsealed: [], touchedUnmanaged: [] });
    expect(report.records.map((r) => r.name).sort()).toEqual([
      'all-rw',
      'metrics-ro',
      'mixed',
      'sensors-rw',
      'two-ro',
    ]);
  });

  it.skipIf(!hasAge)(
    'exports a file that age -d opens, and every string grants exactly its permissions',
    async () => {
      expect((await provision(applyArgs())).code).toBe(0);
      const exported = await provision(['secrets', 'export', 'tokens.sealed', '-o', 'export.age']);
      expect(exported.code).toBe(0);
      const plaintext = execFileSync(
        'age',
        ['-d', '-i', key.identityFile, join(dir, 'export.age')],
        {
          encoding: 'utf8',
        },
      );
      const records = JSON.parse(plaintext) as { name: string; accessToken: string }[];
      expect(records).toHaveLength(5);
      const grants: Record<string, string[]> = {
        'sensors-rw': ['read:sensors', 'write:sensors'],
        'all-rw': [
          'read:sensors',
          'read:metrics',
          'read:logs',
          'write:sensors',
          'write:metrics',
          'write:logs',
        ],
        'metrics-ro': ['read:metrics'],
        'two-ro': ['read:metrics', 'read:logs'],
        mixed: ['read:logs', 'write:sensors'],
      };
      for (const record of records) {
        for (const action of ['read', 'write'] as const) {
          for (const db of ['sensors', 'metrics', 'logs']) {
            const allowed = grants[record.name]?.includes(`${action}:${db}`) ?? false;
            const status = await probe(record.accessToken, action, db);
            expect({ name: record.name, action, db, ok: status < 300 }).toEqual({
              name: record.name,
              action,
              db,
              ok: allowed,
            });
            if (!allowed) expect(status).toBe(403);
          }
        }
      }
    },
  );

  it('creates again a token revoked behind its back', async () => {
    expect((await provision(applyArgs())).code).toBe(0);
    const client = clientFor(emulator);
    const victim = (await client.listTokens()).find((t) =>
      t.description.includes('[provision:mixed]'),
    );
    await client.revokeToken(victim!.id);

    const plan = await provision(['plan']);
    expect(plan.stdout).toContain('+ mixed');
    expect(plan.stdout).toContain('Plan: 1 to create, 0 to update, 0 to replace, 0 to revoke.');
    const apply = await provision(applyArgs());
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/created mixed \[/);
    const report = await checkInvariants(emulator, [join(dir, 'tokens.sealed')], key.identity, []);
    expect(report).toMatchObject({ duplicates: [], unsealed: [] });
  });

  it('refuses to apply off a terminal without --yes, and changes nothing', async () => {
    const run = await provision(['apply', '--recipient', key.recipient]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error: refusing to apply without confirmation: this is not a terminal',
    );
    expect(run.stderr).toContain('hint: review the plan, then run apply again with --yes');
    expect(emulator.store.tokens()).toEqual([]);
  });

  it.each([
    ['--concurrency', '0', 'error: --concurrency: "0" is not a whole number from 1 to 256'],
    ['--list-settle', 'soon', 'error: --list-settle: "soon" is not a duration'],
    ['--expiring-within', '0d', 'error: --expiring-within: "0d" is not a duration'],
  ])('refuses %s %s before any request', async (flag, value, message) => {
    const run = await provision([...applyArgs(), flag, value]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(message);
    expect(emulator.store.counters.requests).toBe(0);
  });

  it('refuses when nobody could open the secrets, before any call that changes the cluster', async () => {
    const run = await provision(['apply', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no one could open the secrets file');
    expect(emulator.store.tokens()).toEqual([]);
  });

  it('applies a saved plan exactly, and refuses it once the cluster moved', async () => {
    const planned = await provision(['plan', '--out', 'plan.json']);
    expect(planned.code).toBe(0);
    const saved = readFileSync(join(dir, 'plan.json'), 'utf8');
    expect(findSecrets(saved, [emulator.managementToken])).toEqual([]);

    // Someone else changes the cluster: the saved plan no longer describes it.
    await clientFor(emulator).createToken({ description: 'made by hand', permissions: [] });
    const stale = await provision(['apply', 'plan.json', '--yes', '--recipient', key.recipient]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('error: the cluster changed since plan.json was made');
    expect(emulator.store.tokens()).toHaveLength(1);

    expect((await provision(['plan', '--out', 'plan.json'])).code).toBe(0);
    const fresh = await provision([
      'apply',
      'plan.json',
      '--yes',
      '--recipient',
      key.recipient,
      '--secrets-file',
      'tokens.sealed',
    ]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('Apply complete: 5 created');
    expect(emulator.store.tokens().filter((t) => t.revokedAt === undefined)).toHaveLength(6);
  });

  it('rotates a token with --replace: the new string is sealed, the old token revoked', async () => {
    expect((await provision(applyArgs())).code).toBe(0);
    const before = emulator.store
      .tokens()
      .find((t) => t.description.includes('[provision:two-ro]'))!;
    const rotate = await provision([...applyArgs(), '--replace', 'two-ro']);
    expect(rotate.code).toBe(0);
    expect(rotate.stdout).toContain('-/+ two-ro');
    expect(rotate.stdout).toMatch(/replaced two-ro \[/);
    const tokens = emulator.store.tokens();
    expect(tokens.find((t) => t.id === before.id)?.revokedAt).toBeDefined();
    const report = await checkInvariants(emulator, [join(dir, 'tokens.sealed')], key.identity, []);
    expect(report).toMatchObject({ duplicates: [], unsealed: [] });
    expect(report.records.filter((r) => r.name === 'two-ro')).toHaveLength(2);
  });

  it('shows each request with --debug, never the management token', async () => {
    const run = await provision([...applyArgs(), '--debug']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Authorization: Bearer [redacted]');
    expect(run.stderr).toMatch(/debug: GET \/accounts\/.+\/tokens → 200 in \d+ ms \(attempt 1\)/);
    expect(run.stderr).toMatch(/debug: POST \/accounts\/.+\/tokens → 200/);
    expect(run.stderr).not.toContain(emulator.managementToken);
  });
});
