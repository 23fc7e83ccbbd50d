import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { executePlan } from '../../src/apply/execute-plan.js';
import type { ApplyEvent } from '../../src/apply/types.js';
import type { DesiredDatabase } from '../../src/manifest/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { openSecretsWriter } from '../../src/secrets/open-secrets-writer.js';
import { makeAgeKey } from '../helpers/age-keys.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';
import { ACCOUNT, CLUSTER, NOW, desired } from '../plan/builders.js';

function declared(name: string, settings: DesiredDatabase['settings'] = {}): DesiredDatabase {
  return { name, team: null, settings, source: { file: 'tokens.yaml', line: 2, column: 5 } };
}

it('does not attempt a token whose database failed to be created, says why, and goes on with the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-db-exec-'));
  const key = await makeAgeKey(dir);
  const emulator = await startTestEmulator();
  const file = join(dir, 'tokens.sealed');
  const writer = await openSecretsWriter(file, { recipients: [key.recipient] });
  onTestFinished(() => writer.close());
  const { plan, problems } = computePlan({
    desired: [
      desired('on-broken', { permissions: ['read:broken'] }),
      desired('on-fine', { permissions: ['write:fine'] }),
      desired('on-nothing', { permissions: ['read:*'] }),
    ],
    // A limit the service refuses (the manifest's schema would have caught it: this is the
    // API failing a create, for whatever reason it may).
    desiredDatabases: [declared('broken', { maxTables: 0 }), declared('fine', { maxTables: 7 })],
    actual: [],
    databases: [],
    now: NOW,
    options: { prune: false, replace: [], only: [], expiringWithin: null },
    target: { product: 'dedicated', url: emulator.url, accountId: ACCOUNT, clusterId: CLUSTER },
    manifest: { file: 'tokens.yaml', fingerprint: 'f'.repeat(64) },
  });
  expect(problems).toEqual([]);
  const events: ApplyEvent[] = [];
  const summary = await executePlan({
    plan,
    connect: () => clientFor(emulator),
    sinkFor: () => ({ sink: writer, path: file }),
    concurrency: 4,
    listSettleMs: 0,
    createRetry: { baseDelayMs: 1, maxDelayMs: 2 },
    onEvent: (event) => events.push(event),
  });
  expect(summary.databases).toEqual([
    {
      name: 'broken',
      team: null,
      action: 'create',
      status: 'failed',
      error:
        '400 Bad Request from POST …/databases: maxTables must be an integer from 1 to 2147483647',
    },
    { name: 'fine', team: null, action: 'create', status: 'done' },
  ]);
  expect(summary.databaseCounts).toEqual({ create: 1, update: 0, failed: 1, skipped: 0 });
  const byName = new Map(summary.results.map((result) => [result.name, result]));
  expect(byName.get('on-broken')).toEqual({
    name: 'on-broken',
    team: null,
    action: 'create',
    status: 'failed',
    error:
      'not attempted: database "broken" was not created (400 Bad Request from POST …/databases: maxTables must be an integer from 1 to 2147483647)',
  });
  expect(byName.get('on-fine')?.status).toBe('done');
  expect(byName.get('on-nothing')?.status).toBe('done');
  // Never sent: only the two other tokens exist.
  expect(
    emulator.store
      .tokens()
      .map((t) => t.permissions[0]?.resource)
      .sort(),
  ).toEqual(['*', 'fine']);
  expect(emulator.store.databases().map((d) => [d.name, d.maxTables])).toEqual([['fine', 7]]);
  // Databases are announced first, then their results come as typed events.
  expect(events[0]).toMatchObject({ type: 'start', databases: 2, total: 3 });
  expect(events.filter((e) => e.type === 'database')).toHaveLength(2);
});

it('counts a 409 as done when the existing database matches, and sets its retention when not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-db-409-'));
  const key = await makeAgeKey(dir);
  const emulator = await startTestEmulator();
  const file = join(dir, 'tokens.sealed');
  const writer = await openSecretsWriter(file, { recipients: [key.recipient] });
  onTestFinished(() => writer.close());
  const { plan } = computePlan({
    desired: [],
    desiredDatabases: [declared('same'), declared('drifted', { retentionPeriod: 3_600e9 })],
    actual: [],
    databases: [],
    now: NOW,
    options: { prune: false, replace: [], only: [], expiringWithin: null },
    target: { product: 'dedicated', url: emulator.url, accountId: ACCOUNT, clusterId: CLUSTER },
    manifest: { file: 'tokens.yaml', fingerprint: 'f'.repeat(64) },
  });
  // Someone else made both between the plan and the apply.
  const client = clientFor(emulator);
  await client.createDatabase({ name: 'same' });
  await client.createDatabase({ name: 'drifted', retentionPeriod: 60e9 });
  const summary = await executePlan({
    plan,
    connect: () => client,
    sinkFor: () => ({ sink: writer, path: file }),
    concurrency: 2,
    createRetry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  expect(summary.databases.map((r) => [r.name, r.status])).toEqual([
    ['same', 'done'],
    ['drifted', 'done'],
  ]);
  expect(emulator.store.databases().find((d) => d.name === 'drifted')?.retentionPeriod).toBe(
    3_600e9,
  );
  expect(emulator.store.counters.byOperation['POST /databases']).toBe(4);
});
