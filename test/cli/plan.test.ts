import { spawn } from 'node:child_process';
import { recordTranscript } from '../helpers/cli.js';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ManagementApi } from '../../src/api/types.js';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { openSecretsWriter } from '../../src/secrets/index.js';
import { withMarker } from '../../src/plan/marker.js';
import type { Plan } from '../../src/plan/types.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const bin = join(repoRoot, 'bin/provision.js');
const ACCOUNT = '11111111-1111-4111-8111-111111111111';
const CLUSTER = '22222222-2222-4222-8222-222222222222';
const HEADER = `Cluster ${CLUSTER} (account ${ACCOUNT}), manifest tokens.yaml`;

const MANIFEST = `version: 1
tokens:
  - name: grafana
    description: Grafana dashboards
    read: [metrics]
  - name: ingest
    description: Telegraf ingest
    write: [metrics, events]
    expiresIn: 90d
teams:
  - name: payments
    databases: [payments]
templates:
  - name: "{team}-reader"
    per: team
    read: ["{database}"]
outputs:
  secretsFile: secrets/tokens.sealed
`;

interface Run {
  code: number | null;
  out: string;
  err: string;
}

let cwd: string;
let emulator: RunningEmulator;
let client: ManagementApi;

/** Runs the built CLI against the test's emulator, without colour. */
async function provision(
  args: string[],
  env: Record<string, string | undefined> = {},
  where: string = cwd,
): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(INFLUX_|PROVISION_)/.test(key)),
  );
  // `env` may unset a variable with undefined.
  const merged: Record<string, string | undefined> = {
    ...clean,
    NO_COLOR: '1',
    INFLUX_MANAGEMENT_URL: emulator.url,
    INFLUX_ACCOUNT_ID: emulator.accountId,
    INFLUX_CLUSTER_ID: emulator.clusterId,
    INFLUX_MANAGEMENT_TOKEN: emulator.managementToken,
    ...env,
  };
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: where,
    env: Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  recordTranscript(args, out + err, { INFLUX_MANAGEMENT_TOKEN: emulator.managementToken });
  expect(out + err).not.toContain(emulator.managementToken);
  expect(out + err).not.toMatch(/apiv1_/);
  return { code, out, err };
}

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'dist/cli/run.js'))) throw new Error('run `npm run build` first');
  cwd = await mkdtemp(join(tmpdir(), 'provision-plan-cli-'));
  await writeFile(join(cwd, 'tokens.yaml'), MANIFEST);
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator = await startTestEmulator({
    accountId: ACCOUNT,
    clusterId: CLUSTER,
    databases: ['metrics', 'events', 'payments'],
  });
  client = clientFor(emulator);
});

const CREATE_ALL = [
  HEADER,
  '',
  '  + grafana',
  '      description: "Grafana dashboards"',
  '      permissions: read:metrics',
  '      expires: never',
  '  + ingest',
  '      description: "Telegraf ingest"',
  '      permissions: write:events, write:metrics',
  '      expires: 90d after creation',
  '',
  '# team payments',
  '  + payments-reader',
  '      description: "payments-reader"',
  '      permissions: read:payments',
  '      expires: never',
  '',
  'Plan: 3 to create, 0 to update, 0 to replace, 0 to revoke.',
  '',
].join('\n');

/** Creates the tokens the manifest asks for, as apply would. */
async function createAll(): Promise<void> {
  const in90d = new Date(Date.now() + 90 * 86_400_000).toISOString();
  const read = (resource: string) => ({ action: 'read' as const, resource });
  const write = (resource: string) => ({ action: 'write' as const, resource });
  await client.createToken({
    description: withMarker('Grafana dashboards', 'grafana'),
    permissions: [read('metrics')],
  });
  await client.createToken({
    description: withMarker('Telegraf ingest', 'ingest'),
    permissions: [write('metrics'), write('events')],
    expiresAt: in90d,
  });
  await client.createToken({
    description: withMarker('payments-reader', 'payments-reader'),
    permissions: [read('payments')],
  });
}

describe('provision plan', () => {
  it('prints the plan for an empty cluster; --detailed-exitcode exits 2', async () => {
    const run = await provision(['plan']);
    expect(run).toEqual({ code: 0, out: CREATE_ALL, err: '' });
    const detailed = await provision(['plan', '--detailed-exitcode']);
    expect(detailed).toEqual({ code: 2, out: CREATE_ALL, err: '' });
  });

  it('says "No changes." when the cluster matches; --detailed-exitcode exits 0', async () => {
    await createAll();
    await client.createToken({ description: 'made by hand', permissions: [] });
    const run = await provision(['plan', '--detailed-exitcode']);
    expect(run).toEqual({
      code: 0,
      out: [
        HEADER,
        '',
        '3 tokens unchanged.',
        '1 unmanaged token left alone (--show-unmanaged lists it).',
        '',
        'No changes. The cluster matches the manifest.',
        '',
      ].join('\n'),
      err: '',
    });
  });

  it('shows updates with the permission diff, undeclared tokens, and unmanaged ones on request', async () => {
    await createAll();
    const tokens = await client.listTokens();
    const grafana = tokens.find((token) => token.description.endsWith('[provision:grafana]'))!;
    await client.updateToken(grafana.id, { permissions: [{ action: 'read', resource: 'events' }] });
    const gone = await client.createToken({
      description: withMarker('Old job', 'old-job'),
      permissions: [],
    });
    const manual = await client.createToken({ description: 'made by hand', permissions: [] });

    const run = await provision(['plan', '--show-unmanaged']);
    expect(run.code).toBe(0);
    expect(run.out).toBe(
      [
        HEADER,
        '',
        '  ~ grafana',
        '      permissions:',
        '        - read:events',
        '        + read:metrics',
        '',
        '2 tokens unchanged.',
        '1 unmanaged token left alone:',
        `    ${manual.id} "made by hand"`,
        'warning: 1 managed token is no longer in the manifest; run with --prune to revoke them: old-job',
        '',
        'Plan: 0 to create, 1 to update, 0 to replace, 0 to revoke.',
        '',
      ].join('\n'),
    );

    const pruned = await provision(['plan', '--prune', '--replace', 'ingest']);
    expect(pruned.err).toBe('');
    expect(pruned.out).toContain(
      `  - old-job (no longer in the manifest, and --prune is on)\n      token ${gone.id}: "Old job"\n`,
    );
    expect(pruned.out).toMatch(/\n-\/\+ ingest \(rotation requested with --replace\)\n/);
    expect(
      pruned.out.endsWith('Plan: 0 to create, 1 to update, 1 to replace, 1 to revoke.\n'),
    ).toBe(true);
  });

  it('replaces a token whose string an interrupted apply lost (secrets file intent, no seal)', async () => {
    await createAll();
    const recipient = await identityToRecipient(await generateX25519Identity());
    const writer = await openSecretsWriter(join(cwd, 'secrets/tokens.sealed'), {
      recipients: [recipient],
    });
    try {
      // The apply wrote its intent, the API created the token, and the process died before sealing.
      await writer.beginCreate('grafana', null);
    } finally {
      await writer.close();
    }
    const tokens = await client.listTokens();
    const old = tokens.find((token) => token.description.endsWith('[provision:grafana]'))!;
    await client.revokeToken(old.id);
    const lost = await client.createToken({
      description: withMarker('Grafana dashboards', 'grafana'),
      permissions: [{ action: 'read', resource: 'metrics' }],
    });
    try {
      const run = await provision(['plan']);
      expect(run.err).toBe('');
      expect(run.out).toContain(
        [
          '-/+ grafana (its string was lost in an interrupted apply)',
          '      expires: never',
          `      old token ${lost.id}: revoked once the new token's string is sealed`,
        ].join('\n'),
      );
      expect(run.out.endsWith('Plan: 0 to create, 0 to update, 1 to replace, 0 to revoke.\n')).toBe(
        true,
      );
    } finally {
      await rm(join(cwd, 'secrets'), { recursive: true, force: true });
    }
  });

  it('prints the documented JSON with --format json, and markdown with --format markdown', async () => {
    const json = await provision(['plan', '--format', 'json']);
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.out) as Plan;
    expect(plan.formatVersion).toBe(1);
    expect(plan.target).toEqual({
      product: 'dedicated',
      url: emulator.url,
      accountId: ACCOUNT,
      clusterId: CLUSTER,
    });
    expect(plan.changes.map((change) => [change.name, change.actions])).toEqual([
      ['grafana', ['create']],
      ['ingest', ['create']],
      ['payments-reader', ['create']],
    ]);
    expect(plan.summary).toEqual({
      create: 3,
      update: 0,
      replace: 0,
      revoke: 0,
      'no-op': 0,
      unmanaged: 0,
      retiring: 0,
      // The team's database is declared and there; the other two are not declared.
      databases: { create: 0, update: 0, 'no-op': 1, unmanaged: 2 },
    });

    const markdown = await provision(['plan', '--format', 'markdown']);
    expect(markdown.code).toBe(0);
    expect(
      markdown.out.startsWith(
        '<!-- provision-plan -->\n## provision plan\n\n**Plan: 3 to create, 0 to update, 0 to replace, 0 to revoke.**\n',
      ),
    ).toBe(true);
    expect(markdown.out).toContain('### Team `payments`');
  });

  it('saves the plan with --out (0644, no secret) and says so on stderr', async () => {
    const run = await provision(['plan', '--out', 'plan.json']);
    expect(run.code).toBe(0);
    expect(run.out).toBe(CREATE_ALL);
    expect(run.err).toBe('Saved the plan to plan.json; apply it with: provision apply plan.json\n');
    const text = await readFile(join(cwd, 'plan.json'), 'utf8');
    expect(JSON.parse(text).summary.create).toBe(3);
    expect(text).not.toContain(emulator.managementToken);
    expect(text).not.toMatch(/apiv1_|AGE-SECRET-KEY-1/);
    expect((await stat(join(cwd, 'plan.json'))).mode & 0o777).toBe(0o644);
  });

  it('fails with the manifest position and the closest database when one is missing', async () => {
    emulator = await startTestEmulator({
      accountId: ACCOUNT,
      clusterId: CLUSTER,
      databases: ['metrics', 'evnets'],
    });
    const run = await provision(['plan', '--detailed-exitcode']);
    expect(run).toEqual({
      code: 1,
      out: '',
      err: [
        'tokens.yaml:8:22: database "events" does not exist in the cluster (named by token "ingest"); did you mean "evnets"?',
        'error: cannot plan: 1 problem above; nothing was changed',
        '',
      ].join('\n'),
    });
    const allowed = await provision(['plan', '--allow-missing-databases']);
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain(
      'warning: database "events" does not exist yet (named by token "ingest" at tokens.yaml:8:22)\n',
    );
    // The team's own database is declared: the plan creates it instead of refusing.
    expect(allowed.out).toContain('# databases\n  + payments (team payments)\n');
  });

  it('reports an unknown --replace or --only name with a suggestion', async () => {
    const run = await provision(['plan', '--replace', 'ingset', '--only', 'team:paymnts']);
    expect(run).toEqual({
      code: 1,
      out: '',
      err: [
        'error: --only team:paymnts: no team "paymnts" in the manifest; did you mean "payments"?',
        'error: --replace ingset: no token "ingset" in the manifest; did you mean "ingest"?',
        'error: cannot plan: 2 problems above; nothing was changed',
        '',
      ].join('\n'),
    });
  });

  it('fails clearly without a management token, and on a bad --expiring-within', async () => {
    const run = await provision(['plan'], { INFLUX_MANAGEMENT_TOKEN: '' });
    expect(run).toEqual({
      code: 1,
      out: '',
      err: 'error: no management token\nhint: set INFLUX_MANAGEMENT_TOKEN or pass --management-token-file FILE\n',
    });
    const bad = await provision(['plan', '--expiring-within', 'soon']);
    expect(bad).toEqual({
      code: 1,
      out: '',
      err: 'error: --expiring-within: "soon" is not a duration\nhint: write it like 7d, 12h or 30m\n',
    });
  });

  it('lists every manifest problem and sends nothing when the manifest is invalid', async () => {
    await writeFile(join(cwd, 'broken.yaml'), 'version: 1\ntokens:\n  - name: Bad Name\n');
    const run = await provision(['plan', '-f', 'broken.yaml']);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^broken\.yaml:3:\d+: .*\n/);
    expect(
      run.err.endsWith(
        'error: broken.yaml is not valid (1 problem); nothing was sent to the cluster\n',
      ),
    ).toBe(true);
  });
});

describe('provision plan on the examples', () => {
  it('prints the plan for examples/tokens.yaml on a fresh cluster', async () => {
    const account = '11111111-1111-4111-8111-111111111111';
    const cluster = '33333333-3333-4333-8333-333333333333';
    emulator = await startTestEmulator({
      accountId: account,
      clusterId: cluster,
      databases: ['sensors', 'metrics'],
    });
    const create = (name: string, description: string, permissions: string) => [
      `  + ${name}`,
      `      description: "${description}"`,
      `      permissions: ${permissions}`,
      '      expires: never',
    ];
    const expected = [
      `Cluster ${cluster} (account ${account}), manifest examples/tokens.yaml`,
      '',
      ...create(
        'all-databases-read-write',
        'Read/write token for all databases',
        'read:*, write:*',
      ),
      ...create(
        'sensors-metrics-read-only',
        'Read-only token for sensors and metrics',
        'read:metrics, read:sensors',
      ),
      ...create(
        'sensors-read-metrics-read-write',
        'Read-only on sensors, read/write on metrics',
        'read:metrics, read:sensors, write:metrics',
      ),
      ...create('sensors-read-only', 'Read-only token for sensors', 'read:sensors'),
      ...create(
        'sensors-read-write',
        'Read/write token for sensors',
        'read:sensors, write:sensors',
      ),
      '',
      'Plan: 5 to create, 0 to update, 0 to replace, 0 to revoke.',
      '',
    ].join('\n');
    // The manifest names the cluster: no account or cluster id in the environment.
    const env = { INFLUX_ACCOUNT_ID: undefined, INFLUX_CLUSTER_ID: undefined };
    const run = await provision(
      ['plan', '-f', 'examples/tokens.yaml', '--detailed-exitcode'],
      env,
      repoRoot,
    );
    expect(run).toEqual({ code: 2, out: expected, err: '' });
  });

  it.each(['onboarding.yaml', 'rotation.yaml'])(
    'plans examples/%s: every token created',
    async (name) => {
      const loaded = await loadManifest(join('examples', name), { now: new Date(), cwd: repoRoot });
      if (!loaded.ok) throw new Error(`examples/${name} does not load`);
      // Only what the manifest does not declare itself: declared databases are its to create
      // (onboarding.yaml declares all of its own, so its cluster starts with none).
      const declared = new Set(loaded.manifest!.databases.map((d) => d.name));
      const databases = [
        ...new Set(loaded.manifest!.tokens.flatMap((t) => t.databases.map((d) => d.database))),
      ].filter((name) => !declared.has(name));
      if (name === 'onboarding.yaml') expect(databases).toEqual([]);
      emulator = await startTestEmulator({ accountId: ACCOUNT, clusterId: CLUSTER, databases });
      const run = await provision(
        ['plan', '-f', join('examples', name), '--format', 'json'],
        {},
        repoRoot,
      );
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      const plan = JSON.parse(run.out) as Plan;
      expect(plan.summary.create).toBe(loaded.manifest!.tokens.length);
      expect(plan.changes.every((change) => change.action === 'create')).toBe(true);
      expect(plan.databases.map((d) => d.action)).toEqual(
        loaded.manifest!.databases.map(() => 'create'),
      );
    },
  );
});
