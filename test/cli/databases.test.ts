import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tokensBeforeTheirDatabases } from '../helpers/database-order.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import type { Plan } from '../../src/plan/types.js';
import { emulatorEnv, findSecrets, repoRoot, runCli } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';

const DAY_NS = 86_400e9;

it('onboards examples/onboarding.yaml onto a cluster with no databases: every database, then every token, then "No changes."', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-databases-'));
  copyFileSync(join(repoRoot, 'examples/onboarding.yaml'), join(dir, 'tokens.yaml'));
  const loaded = await loadManifest('tokens.yaml', { now: new Date(), cwd: dir });
  if (!loaded.ok) throw new Error('examples/onboarding.yaml does not load');
  const { databases, tokens } = loaded.manifest!;
  expect(databases).toHaveLength(81); // 40 teams × (prod, staging) + platform_metrics

  // Every token create must find the databases it names already there.
  const early = tokensBeforeTheirDatabases();
  const emulator = await startTestEmulator({ onExchange: early.watch });
  early.store = emulator.store;
  const env = emulatorEnv(emulator);
  const apply = await runCli(['apply', '--yes'], { cwd: dir, env });
  expect(apply.stderr).toBe('');
  expect(apply.code).toBe(0);
  expect(apply.stdout).toContain('Databases: 81 created, 0 updated, 0 failed.');
  expect(apply.stdout).toMatch(
    new RegExp(
      `Apply complete: ${tokens.length} created, 0 updated, 0 replaced, 0 revoked, 0 failed`,
    ),
  );
  const inCluster = emulator.store.databases();
  expect(inCluster.map((d) => d.name).sort()).toEqual(databases.map((d) => d.name).sort());
  const prod = inCluster.find((d) => d.name === 'data-science_prod');
  expect(prod).toMatchObject({
    retentionPeriod: 365 * DAY_NS,
    maxTables: 500,
    partitionTemplate: [
      { type: 'time', value: '%Y-%m-%d' },
      { type: 'tag', value: 'service' },
    ],
  });
  expect(emulator.store.tokens()).toHaveLength(tokens.length);
  expect(early.found).toEqual([]);

  const again = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
  expect(again.stderr).toBe('');
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('81 databases unchanged.');
  expect(again.stdout).toContain('No changes. The cluster matches the manifest.');
  expect(findSecrets(apply.stdout + again.stdout, [emulator.managementToken])).toEqual([]);
}, 120_000);

const SMALL = `version: 1
databases:
  - name: metrics
    retentionPeriod: 7d
  - name: logs
tokens:
  - name: grafana
    read: [metrics]
outputs:
  secretsFile: tokens.sealed
  recipients: [age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p]
`;

it('a retention change is one update in place; a database taken out of the manifest stays, and the plan says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-databases-update-'));
  const file = join(dir, 'tokens.yaml');
  writeFileSync(file, SMALL);
  const emulator = await startTestEmulator();
  const env = emulatorEnv(emulator);
  expect((await runCli(['apply', '--yes'], { cwd: dir, env })).code).toBe(0);

  writeFileSync(file, SMALL.replace('retentionPeriod: 7d', 'retentionPeriod: 30d'));
  const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
  expect(plan.code).toBe(2);
  expect(plan.stdout).toContain(
    ['', '# databases', '  ~ metrics', '      retention: 7d → 30d', ''].join('\n'),
  );
  expect(plan.stdout).toContain(
    'Plan: 0 databases to create, 1 to update; tokens: 0 to create, 0 to update, 0 to replace, 0 to revoke.',
  );
  const json = JSON.parse(
    (await runCli(['plan', '--format', 'json'], { cwd: dir, env })).stdout,
  ) as Plan & { summary: { databases: Record<string, number> } };
  expect(json.databases.map((d) => [d.name, d.action, d.patch])).toEqual([
    ['metrics', 'update', { retentionPeriod: 30 * DAY_NS }],
    ['logs', 'no-op', undefined],
  ]);
  expect(json.summary.databases).toEqual({ create: 0, update: 1, 'no-op': 1, unmanaged: 0 });

  const before = emulator.store.counters.byOperation['PATCH /databases/{name}'] ?? 0;
  const apply = await runCli(['apply', '--yes'], { cwd: dir, env });
  expect(apply.code).toBe(0);
  expect(apply.stdout).toContain('updated database "metrics"');
  expect(emulator.store.counters.byOperation['PATCH /databases/{name}']).toBe(before + 1);
  expect(emulator.store.databases().find((d) => d.name === 'metrics')?.retentionPeriod).toBe(
    30 * DAY_NS,
  );

  // Taken out of the manifest: never deleted, by any flag; counted, listed on request.
  writeFileSync(
    file,
    SMALL.replace('retentionPeriod: 7d', 'retentionPeriod: 30d').replace('  - name: logs\n', ''),
  );
  const pruned = await runCli(['apply', '--yes', '--prune'], { cwd: dir, env });
  expect(pruned.code).toBe(0);
  expect(
    emulator.store
      .databases()
      .map((d) => d.name)
      .sort(),
  ).toEqual(['logs', 'metrics']);
  const listed = await runCli(['plan', '--show-unmanaged', '--detailed-exitcode'], {
    cwd: dir,
    env,
  });
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain(
    '1 database in the cluster is not in the manifest; provision never deletes databases:\n    "logs"\n',
  );
  const counted = await runCli(['plan'], { cwd: dir, env });
  expect(counted.stdout).toContain(
    '1 database in the cluster is not in the manifest; provision never deletes databases (--show-unmanaged lists it).',
  );
}, 60_000);

it('refuses a partition template change before any call that changes something, naming the field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-databases-template-'));
  const file = join(dir, 'tokens.yaml');
  const withTemplate = SMALL.replace(
    '  - name: logs\n',
    '  - name: logs\n    partitionTemplate: [{ type: tag, value: host }]\n',
  );
  writeFileSync(file, withTemplate);
  const emulator = await startTestEmulator();
  const env = emulatorEnv(emulator);
  expect((await runCli(['apply', '--yes'], { cwd: dir, env })).code).toBe(0);
  writeFileSync(file, withTemplate.replace('value: host', 'value: region'));
  const requests = emulator.store.counters.requests;
  const plan = await runCli(['apply', '--yes'], { cwd: dir, env });
  expect(plan.code).toBe(1);
  expect(plan.stderr).toContain(
    'tokens.yaml:5:5: database "logs": partitionTemplate cannot be changed in place (the cluster has tag "host", the manifest says tag "region"); a partition template is set when a database is created',
  );
  expect(plan.stderr).not.toContain('    at ');
  // Only the two lists of the plan: nothing was changed.
  expect(emulator.store.counters.requests).toBe(requests + 2);
}, 60_000);
