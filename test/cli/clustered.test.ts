import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { expectNoSecretsPrinted, startTestProject } from '../helpers/project.js';

expectNoSecretsPrinted();

const EXAMPLE = readFileSync(join(repoRoot, 'examples/clustered.yaml'), 'utf8');
const ACCOUNT = '11111111-1111-4111-8111-111111111111';

/** A Clustered emulator and examples/clustered.yaml, the product taken from the manifest. */
async function clusteredProject() {
  const project = await startTestProject({
    prefix: 'clustered',
    manifest: EXAMPLE,
    emulator: { product: 'clustered' },
  });
  // The example's own cluster.product says clustered; the environment only moves the URL.
  return { ...project, env: { INFLUX_PRODUCT: '' } };
}

describe('InfluxDB 3 Clustered, end to end against a Clustered emulator', () => {
  it('examples/clustered.yaml: validate, plan, apply creates its databases and tokens, the next plan says "No changes."', async () => {
    const project = await clusteredProject();
    const { emulator } = project;
    const validate = await project.provision(['validate'], { env: project.env });
    expect(validate).toMatchObject({ code: 0, stderr: '' });

    const plan = await project.provision(['plan', '--out', 'plan.json'], { env: project.env });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toMatch(/^Saved the plan to plan\.json/);
    expect(plan.stdout.split('\n')[0]).toBe(
      `Clustered cluster ${emulator.url}, manifest tokens.yaml`,
    );
    const saved = JSON.parse(readFileSync(join(project.dir, 'plan.json'), 'utf8')) as {
      target: unknown;
    };
    expect(saved.target).toEqual({ product: 'clustered', url: emulator.url });

    const apply = await project.provision([...project.applyArgs(), 'plan.json'], {
      env: project.env,
    });
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Databases: 2 created, 0 updated, 0 failed.');
    expect(apply.stdout).toContain('Apply complete: 2 created, 0 updated, 0 replaced, 0 revoked');
    expect(emulator.store.databases().map((d) => [d.name, d.retentionPeriod])).toEqual([
      ['sensors', 30 * 86_400e9],
      ['metrics', 0],
    ]);
    const tokens = emulator.store.tokens();
    const grants = tokens.map((t) => t.permissions.map((p) => `${p.action}:${p.resource}`).sort());
    expect(grants.sort()).toEqual([['read:metrics', 'read:sensors'], ['write:sensors']]);
    expect(tokens).toHaveLength(2);
    // Every request found a Clustered route: none went to a Dedicated path.
    expect(emulator.store.counters.byOperation.unknown).toBeUndefined();

    const again = await project.provision(['plan', '--detailed-exitcode'], { env: project.env });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes. The cluster matches the manifest.');
  }, 60_000);

  // Red team: whatever says "account id", nothing is sent.
  it.each([
    [['--account-id', ACCOUNT], {}, '--account-id is not accepted for a Clustered cluster'],
    [
      [],
      { INFLUX_ACCOUNT_ID: ACCOUNT },
      'INFLUX_ACCOUNT_ID is not accepted for a Clustered cluster',
    ],
  ])(
    'refuses an account id smuggled in (%j %j) before any request',
    async (flags, env, message) => {
      const project = await clusteredProject();
      const run = await project.provision(['plan', ...flags], { env: { ...project.env, ...env } });
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toBe(
        `error: ${message} (cluster.product: clustered in tokens.yaml)`,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(project.emulator.store.counters.requests).toBe(0);
    },
  );

  it('a Clustered target with no URL anywhere is refused with the flag to add', async () => {
    const project = await clusteredProject();
    project.write('tokens.yaml', EXAMPLE.replace(/^ {2}url: .*$/m, ''));
    const run = await project.provision(['plan'], {
      env: { ...project.env, INFLUX_MANAGEMENT_URL: '' },
    });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      'error: clustered needs --management-url (cluster.product: clustered in tokens.yaml)',
    );
    expect(project.emulator.store.counters.requests).toBe(0);
  });

  it('a plan saved for Cloud Dedicated is refused on a Clustered cluster, before any change', async () => {
    const dedicated = await startTestProject({
      prefix: 'dedicated',
      manifest: EXAMPLE.replace(/^cluster:\n(?: {2}.*\n|\s*#.*\n)*/m, ''),
      emulator: { databases: ['sensors', 'metrics'] },
    });
    const plan = await dedicated.provision(['plan', '--out', 'plan.json']);
    expect(plan.code).toBe(0);
    const clustered = await startTestProject({
      prefix: 'clustered-target',
      emulator: { product: 'clustered' },
    });
    const apply = await dedicated.provision([...dedicated.applyArgs(), 'plan.json'], {
      env: {
        INFLUX_PRODUCT: 'clustered',
        INFLUX_MANAGEMENT_URL: clustered.emulator.url,
        INFLUX_ACCOUNT_ID: '',
        INFLUX_CLUSTER_ID: '',
        INFLUX_MANAGEMENT_TOKEN: clustered.emulator.managementToken,
      },
    });
    expect(apply.code).toBe(1);
    expect(apply.stderr.split('\n')[0]).toBe(
      `error: plan.json was made for a Cloud Dedicated cluster, not for the Clustered cluster at ${clustered.emulator.url}`,
    );
    expect(clustered.emulator.store.counters.requests).toBe(0);
    expect(dedicated.emulator.store.tokens()).toHaveLength(0);
  });
});
