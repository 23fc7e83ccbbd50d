import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { probeDataPlane } from '../../src/api/probe-data-plane.js';
import { parseMarker } from '../../src/plan/marker.js';
import { readSecrets } from '../../src/secrets/read-secrets.js';
import { makeAgeKey } from '../helpers/age-keys.js';
import { emulatorEnv, findSecrets, runCli, transcript } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { checkInvariants } from '../helpers/invariants.js';

const managementTokens: string[] = [];
afterAll(() => {
  expect(findSecrets(transcript.join('\n'), managementTokens)).toEqual([]);
});

async function setUp(manifest: string, now?: () => Date) {
  const dir = mkdtempSync(join(tmpdir(), 'provision-day2-'));
  writeFileSync(join(dir, 'tokens.yaml'), manifest);
  const key = await makeAgeKey(dir);
  const emulator = await startTestEmulator({
    databases: ['sensors', 'logs'],
    ...(now === undefined ? {} : { now }),
  });
  managementTokens.push(emulator.managementToken);
  const env = emulatorEnv(emulator);
  const apply = (...extra: string[]) =>
    runCli(
      ['apply', '--yes', '--recipient', key.recipient, '--secrets-file', 'tokens.sealed', ...extra],
      {
        cwd: dir,
        env,
      },
    );
  const plan = (...extra: string[]) => runCli(['plan', ...extra], { cwd: dir, env });
  return { dir, key, emulator, apply, plan };
}

const live = (emulator: Awaited<ReturnType<typeof setUp>>['emulator'], name: string) =>
  emulator.store
    .tokens()
    .filter((t) => t.revokedAt === undefined && parseMarker(t.description)?.name === name);

it('rotates on schedule, keeps the old token through its overlap, and revokes it on a later apply', async () => {
  // The emulator's clock is moved back instead of the test sleeping past rotateAfter: the
  // first token is born an hour ago, so it is due however slowly this machine runs.
  let offsetMs = -60 * 60 * 1000;
  const { dir, key, emulator, apply, plan } = await setUp(
    `version: 1
tokens:
  - name: ingest
    description: Ingest agents
    write: [sensors]
    rotateAfter: 30m
    overlap: 1s
`,
    () => new Date(Date.now() + offsetMs),
  );
  expect((await apply()).code).toBe(0);
  const [first] = live(emulator, 'ingest');
  expect(first).toBeDefined();

  offsetMs = 0;
  const due = await plan();
  expect(due.stdout).toContain('-/+ ingest');
  expect(due.stdout).toMatch(/rotat/i);
  const rotated = await apply();
  expect(rotated.code).toBe(0);
  // Both live: the new one, and the old one marked as retiring until its overlap ends.
  const during = live(emulator, 'ingest');
  expect(during).toHaveLength(2);
  const old = during.find((t) => t.id === first!.id);
  const retireAt = parseMarker(old!.description)?.retireAt;
  expect(retireAt).toBeDefined();
  const report = await checkInvariants(emulator, [join(dir, 'tokens.sealed')], key.identity, []);
  expect(report).toMatchObject({ duplicates: [], unsealed: [] });

  // Wait for the condition (the overlap has ended), not for a fixed time.
  while (Date.now() <= Date.parse(retireAt!)) await sleep(100);
  const after = await apply();
  expect(after.code).toBe(0);
  expect(after.stdout).toMatch(/revoked ingest/);
  const remaining = live(emulator, 'ingest');
  expect(remaining).toHaveLength(1);
  expect(remaining[0]!.id).not.toBe(first!.id);
}, 60_000);

it('limits a plan and an apply to --only NAME and --only team:TEAM, and says the rest is unchecked', async () => {
  const { emulator, apply, plan } = await setUp(`version: 1
tokens:
  - name: alpha
    description: Alpha
    read: [sensors]
  - name: beta
    description: Beta
    read: [logs]
teams:
  - name: payments
    databases: [sensors]
templates:
  - name: "{team}-reader"
    description: Reader for {team}
    read: ["{database}"]
`);
  const planned = await plan('--only', 'alpha');
  expect(planned.code).toBe(0);
  expect(planned.stdout).toContain('+ alpha');
  expect(planned.stdout).not.toContain('beta');
  expect(planned.stdout + planned.stderr).toMatch(/not checked/);

  expect((await apply('--only', 'team:payments')).code).toBe(0);
  const names = emulator.store.tokens().map((t) => parseMarker(t.description)?.name);
  expect(names).toEqual(['payments-reader']);
});

it('streams one JSON object per event with apply --json, the last one the summary', async () => {
  const { apply } = await setUp(`version: 1
tokens:
  - name: alpha
    description: Alpha
    read: [sensors]
  - name: beta
    description: Beta
    write: [logs]
`);
  const run = await apply('--json');
  expect(run.code).toBe(0);
  const events = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
  expect(events[0]?.type).toBe('plan');
  expect(events.filter((e) => e.type === 'result')).toHaveLength(2);
  const last = events.at(-1)!;
  expect(last.type).toBe('summary');
  expect(last.counts).toMatchObject({ create: 2, failed: 0 });
  expect(findSecrets(run.stdout + run.stderr)).toEqual([]);
});

it('waits with --wait-active until every new token authenticates on the cluster', async () => {
  const { dir, key, emulator, apply } = await setUp(`version: 1
tokens:
  - name: alpha
    description: Alpha
    read: [sensors]
  - name: everything
    description: Everything
    read: ["*"]
`);
  emulator.setFaults({ activationDelayMs: 1_500 });
  const run = await apply('--wait-active', '--cluster-url', emulator.clusterUrl);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  // Right after apply returns, every new token already works.
  const records = await readSecrets(join(dir, 'tokens.sealed'), { identities: [key.identity] });
  expect(records).toHaveLength(2);
  for (const record of records) {
    const answer = await probeDataPlane({
      clusterUrl: emulator.clusterUrl,
      token: record.accessToken,
      action: 'read',
      database: 'sensors',
    });
    expect(answer).toBe('granted');
  }
});

it('fails the change, after sealing its string, when a token does not become active in time', async () => {
  const { dir, key, emulator, apply } = await setUp(`version: 1
tokens:
  - name: slow
    description: Slow
    read: [sensors]
`);
  emulator.setFaults({ activationDelayMs: 60_000 });
  const run = await apply(
    '--wait-active',
    '--cluster-url',
    emulator.clusterUrl,
    '--wait-timeout',
    '1s',
  );
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(
    'failed create slow: the token did not become active within 1000 ms',
  );
  const records = await readSecrets(join(dir, 'tokens.sealed'), { identities: [key.identity] });
  expect(records.map((r) => r.name)).toEqual(['slow']);
});
