import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { makeAgeKey } from '../helpers/age-keys.js';
import { repoRoot, runCli } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { expectNoSecretsPrinted, rememberManagementToken } from '../helpers/project.js';

expectNoSecretsPrinted();

const EXAMPLE = readFileSync(join(repoRoot, 'examples/clusters.yaml'), 'utf8');
// The example's production ids: the Dedicated emulator serves exactly these paths.
const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const CLUSTER = '33333333-3333-4333-8333-333333333333';

/** A folder with the manifest, a key, a Clustered "staging" and a Dedicated "production". */
async function twoClusters(manifest = EXAMPLE, staging: { latencyMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'provision-clusters-'));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const stagingEmulator = await startTestEmulator({ product: 'clustered', ...staging });
  const productionEmulator = await startTestEmulator({ accountId: ACCOUNT, clusterId: CLUSTER });
  rememberManagementToken(stagingEmulator);
  rememberManagementToken(productionEmulator);
  writeFileSync(join(dir, 'tokens.yaml'), manifest);
  const key = await makeAgeKey(dir);
  // Only the named variables: the one-cluster ones would be refused.
  const env: NodeJS.ProcessEnv = {
    INFLUX_MANAGEMENT_URL_STAGING: stagingEmulator.url,
    INFLUX_MANAGEMENT_TOKEN_STAGING: stagingEmulator.managementToken,
    INFLUX_MANAGEMENT_URL_PRODUCTION: productionEmulator.url,
    INFLUX_MANAGEMENT_TOKEN_PRODUCTION: productionEmulator.managementToken,
    PROVISION_AGE_IDENTITY: key.identityFile,
  };
  const provision = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    runCli(args, { cwd: dir, env: { ...env, ...extra } });
  const apply = ['apply', '--yes', '--recipient', key.recipient];
  return { dir, staging: stagingEmulator, production: productionEmulator, provision, apply };
}

const tokenNames = (emulator: RunningEmulator): string[] =>
  emulator.store
    .tokens()
    .filter((token) => token.revokedAt === undefined)
    .map((token) => token.description.split(' ')[1] ?? '')
    .sort();

describe('several clusters in one manifest (examples/clusters.yaml)', () => {
  it('applies each cluster its share, then plans "No changes." for both; --cluster plans one', async () => {
    const project = await twoClusters();
    const plan = await project.provision(['plan', '--out', 'plan.json']);
    expect(plan.stderr).toMatch(/^Saved the plans of 2 clusters to plan\.json/);
    expect(plan.code).toBe(0);
    const lines = plan.stdout.split('\n');
    expect(lines[0]).toBe('=== cluster staging ===');
    expect(lines[1]).toBe(`Clustered cluster ${project.staging.url}, manifest tokens.yaml`);
    expect(lines).toContain('=== cluster production ===');
    expect(lines).toContain(`Cluster ${CLUSTER} (account ${ACCOUNT}), manifest tokens.yaml`);
    expect(plan.stdout).toContain(
      'Plan: 3 databases to create, 0 to update; tokens: 4 to create, 0 to update, 0 to replace, 0 to revoke.',
    );
    expect(lines.at(-2)).toBe(
      'Total, 2 clusters: 6 databases to create, 0 to update; tokens: 8 to create, 0 to update, 0 to replace, 0 to revoke.',
    );
    // Planning reads both clusters and changes neither.
    expect(project.staging.store.tokens()).toHaveLength(0);
    expect(project.production.store.tokens()).toHaveLength(0);

    const saved = JSON.parse(readFileSync(join(project.dir, 'plan.json'), 'utf8')) as {
      plans: { clusterName: string; target: unknown }[];
      summary: { create: number };
    };
    expect(saved.plans.map((entry) => entry.clusterName)).toEqual(['staging', 'production']);
    expect(saved.plans[0]?.target).toEqual({ product: 'clustered', url: project.staging.url });
    expect(saved.summary.create).toBe(8);

    const apply = await project.provision([...project.apply, 'plan.json']);
    expect(apply.stderr).toBe('');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('cluster staging: 4 created, 3 database changes');
    expect(apply.stdout).toContain('cluster production: 4 created, 3 database changes');
    expect(apply.stdout).toContain('Apply complete: 8 created');
    expect(tokenNames(project.staging)).toEqual(['Grafana', 'experiments', 'payments', 'search']);
    expect(tokenNames(project.production)).toEqual(['Compliance', 'Grafana', 'payments', 'search']);
    expect(
      project.production.store
        .databases()
        .map((database) => database.name)
        .sort(),
    ).toEqual(['audit', 'payments_events', 'search_events']);
    expect(
      project.staging.store
        .databases()
        .map((database) => database.name)
        .sort(),
    ).toEqual(['experiments_events', 'payments_events', 'search_events']);
    // Each cluster sealed to its own file; both open with the key.
    for (const cluster of ['staging', 'production']) {
      const list = await project.provision(['secrets', 'list', `secrets/${cluster}/tokens.sealed`]);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain('grafana');
    }

    // A command on one secrets file finds its cluster by the file.
    const stray = await project.provision(['secrets', 'reseal', 'secrets/tokens.sealed']);
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain(
      "error: secrets/tokens.sealed is no cluster's secrets file in tokens.yaml",
    );
    expect(stray.stderr).toContain('secrets/staging/tokens.sealed');

    const again = await project.provision(['plan', '--detailed-exitcode']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout.trimEnd().split('\n').at(-1)).toBe(
      'No changes. All 2 clusters match the manifest.',
    );

    // --cluster staging: staging's plan only, and no request to production.
    const before = project.production.store.counters.requests;
    const one = await project.provision(['plan', '--cluster', 'staging', '--format', 'json']);
    expect(one.code).toBe(0);
    const onlyStaging = JSON.parse(one.stdout) as { plans: { clusterName: string }[] };
    expect(onlyStaging.plans.map((entry) => entry.clusterName)).toEqual(['staging']);
    expect(project.production.store.counters.requests).toBe(before);

    // CLUSTER/NAME rotates one cluster's token; a bare name is every cluster's.
    const rotate = await project.provision([...project.apply, '--replace', 'production/grafana']);
    expect(rotate.code).toBe(0);
    expect(rotate.stdout).toContain('Apply complete: 0 created, 0 updated, 1 replaced');
    const unknown = await project.provision(['plan', '--only', 'prod/grafana']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'error: --only prod/grafana: no cluster "prod" in tokens.yaml',
    );
    expect(unknown.stderr).toContain('its clusters are staging, production');
    const nowhere = await project.provision(['plan', '--only', 'grafna']);
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr.match(/--only grafna/g)).toHaveLength(1);
    expect(nowhere.stderr).toContain('(on every cluster planned)');
  });

  it('one cluster stopped mid-apply fails only its own changes; what it created is sealed', async () => {
    const manifest = EXAMPLE.replace('concurrency: 4 #', 'concurrency: 2 #');
    const project = await twoClusters(manifest, { latencyMs: 400 });
    const running = project.provision(project.apply);
    // Stop staging once its first token exists: the rest of its changes lose their cluster.
    const deadline = Date.now() + 20_000;
    while (project.staging.store.tokens().length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const stagingUrl = project.staging.url;
    await project.staging.close();
    const apply = await running;
    expect(apply.code).toBe(1);
    // Production is whole; staging's undone changes failed naming their cause.
    expect(tokenNames(project.production)).toEqual(['Compliance', 'Grafana', 'payments', 'search']);
    expect(apply.stdout).toContain('cluster production: 4 created, 3 database changes');
    expect(apply.stdout).toMatch(/cluster staging: .*failed/);
    expect(apply.stdout).toMatch(
      /failed create staging\/[a-z-]+.*: .*(refused|reset|socket|fetch)/i,
    );
    expect(apply.stdout).not.toMatch(/failed \w+ production\//);
    expect(stagingUrl).toMatch(/^http:/);
    // Custody held on the cluster that went away: every token it reported made is in its file.
    const created = [
      ...apply.stdout.matchAll(/^created staging\/\S+.* \[([0-9a-f-]{36})\]$/gm),
    ].map((match) => match[1] ?? '');
    expect(created.length).toBeGreaterThan(0);
    const list = await project.provision(['secrets', 'list', 'secrets/staging/tokens.sealed']);
    expect(list.code).toBe(0);
    for (const id of created) expect(list.stdout).toContain(id);
  }, 60_000);

  it('refuses what names one cluster, and a cluster without its management token, before any request', async () => {
    const project = await twoClusters();
    const flag = await project.provision(['plan', '--management-url', project.staging.url]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain(
      'error: --management-url names one cluster; tokens.yaml names several (clusters:)',
    );
    expect(flag.stderr).toContain('INFLUX_MANAGEMENT_URL_STAGING');
    const variable = await project.provision(['plan'], {
      INFLUX_MANAGEMENT_URL: project.production.url,
    });
    expect(variable.code).toBe(1);
    expect(variable.stderr).toContain('error: INFLUX_MANAGEMENT_URL names one cluster');

    // The unnamed variable is never used for a named cluster.
    const missing = await project.provision(['plan'], {
      INFLUX_MANAGEMENT_TOKEN_PRODUCTION: '',
      INFLUX_MANAGEMENT_TOKEN: project.production.managementToken,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error: no management token for cluster production');
    expect(missing.stderr).toContain('set INFLUX_MANAGEMENT_TOKEN_PRODUCTION');
    expect(project.staging.store.counters.requests).toBe(0);
    expect(project.production.store.counters.requests).toBe(0);

    // A token file per cluster works as the variables do.
    writeFileSync(join(project.dir, 'production.token'), project.production.managementToken, {
      mode: 0o600,
    });
    const filed = await project.provision(
      ['plan', '--management-token-file', 'production=production.token'],
      { INFLUX_MANAGEMENT_TOKEN_PRODUCTION: '' },
    );
    expect(filed.stderr).toBe('');
    expect(filed.code).toBe(0);
    const unnamed = await project.provision([
      'plan',
      '--management-token-file',
      'production.token',
    ]);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toContain('say which cluster it is for');
  });

  it('reports manifest mistakes about clusters at their line and column, with a hint', async () => {
    const project = await twoClusters(
      EXAMPLE.replace('clusters: [production] # production only', 'clusters: [prodution]').replace(
        "secretsFile: 'secrets/{cluster}/tokens.sealed'",
        'secretsFile: secrets/tokens.sealed',
      ),
    );
    const validate = await project.provision(['validate']);
    expect(validate.code).toBe(1);
    const lines = validate.stderr.split('\n');
    const at = (needle: string) => {
      const row = EXAMPLE.split('\n').findIndex((line) => line.includes(needle)) + 1;
      return `tokens.yaml:${row}:`;
    };
    expect(validate.stderr).toMatch(
      /tokens\.yaml:\d+:\d+: no cluster "prodution" in clusters: \(staging, production\); did you mean "production"\?/,
    );
    expect(validate.stderr).toContain(
      'outputs.secretsFile must contain {cluster} in a manifest with clusters:',
    );
    expect(lines.filter((line) => line.startsWith(at('secretsFile')))).toHaveLength(1);
  });
});
