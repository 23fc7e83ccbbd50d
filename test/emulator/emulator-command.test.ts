import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import { startTestEmulator } from '../helpers/emulator.js';

const BIN = resolve(import.meta.dirname, '../../bin/provision.js');

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  lines: Promise<string[]>;
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Spawns the built CLI and resolves `lines` once it printed `count` lines. */
function run(args: string[], count: number, env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', PROVISION_EMULATOR_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const lines = new Promise<string[]>((done, fail) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const all = stdout.split('\n');
      if (all.length > count) done(all.slice(0, count));
    });
    void exited.then(() => {
      fail(new Error(`exited early: ${stdout}${stderr}`));
    });
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    child,
    exited,
    lines,
    async stop(signal) {
      child.kill(signal);
      const code = await exited;
      return { code, stdout, stderr };
    },
  };
}

describe('provision emulator', () => {
  it('--json prints one line a script can use, and SIGTERM exits 0', async () => {
    const emulator = run(['emulator', '--port', '0', '--json', '--database', 'db'], 1);
    const [line = ''] = await emulator.lines;
    const start = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(start)).toEqual([
      'url',
      'clusterUrl',
      'accountId',
      'clusterId',
      'managementToken',
    ]);
    expect(start.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v0$/);
    expect(start.url).toBe(`${start.clusterUrl}/api/v0`);
    const client = createManagementClient({
      url: start.url!,
      accountId: start.accountId!,
      clusterId: start.clusterId!,
      managementToken: start.managementToken!,
    });
    expect((await client.listDatabases()).map((d) => d.name)).toEqual(['db']);
    expect(await emulator.stop('SIGTERM')).toEqual({ code: 0, stdout: `${line}\n`, stderr: '' });
  });

  it('--product clustered serves the Clustered paths and prints its env, no ids', async () => {
    const emulator = run(['emulator', '--port', '0', '--product', 'clustered'], 2, {
      PROVISION_EMULATOR_TOKEN: 'chosen-token',
    });
    const [start = '', exportLine = ''] = await emulator.lines;
    const url = /listening on (\S+) /.exec(start)?.[1] ?? '';
    expect(start).toBe(`provision emulator listening on ${url} (InfluxDB 3 Clustered)`);
    expect(exportLine).toBe(
      `export INFLUX_PRODUCT=clustered INFLUX_MANAGEMENT_URL=${url} INFLUX_MANAGEMENT_TOKEN="$PROVISION_EMULATOR_TOKEN"`,
    );
    const client = createManagementClient({
      url,
      product: 'clustered',
      managementToken: 'chosen-token',
    });
    const created = await client.createToken({ description: 'x' });
    expect(Object.keys(created)).not.toContain('accountId');
    const dedicatedPath = await fetch(
      `${url}/accounts/${randomUUID()}/clusters/${randomUUID()}/tokens`,
      {
        headers: { authorization: 'Bearer chosen-token' },
      },
    );
    expect(dedicatedPath.status).toBe(404);
    expect((await emulator.stop('SIGTERM')).code).toBe(0);
  });

  it('--product clustered --json has no ids; --account-id with it is refused', async () => {
    const emulator = run(['emulator', '--port', '0', '--json', '--product', 'clustered'], 1);
    const start = JSON.parse((await emulator.lines)[0] ?? '') as Record<string, string>;
    expect(Object.keys(start)).toEqual(['url', 'clusterUrl', 'product', 'managementToken']);
    await emulator.stop('SIGTERM');
    const refused = run(
      ['emulator', '--port', '0', '--product', 'clustered', '--account-id', randomUUID()],
      1,
    );
    refused.lines.catch(() => undefined);
    expect(await refused.exited).toBe(1);
    const { stderr } = await refused.stop('SIGTERM');
    expect(stderr).toBe(
      'error: --account-id is not accepted with --product clustered\nhint: a Clustered Management API has no account or cluster id; drop the flag\n',
    );
  });

  it('--time-precision s stamps whole seconds; a bad unit is refused', async () => {
    const emulator = run(['emulator', '--port', '0', '--json', '--time-precision', 's'], 1);
    const start = JSON.parse((await emulator.lines)[0] ?? '') as Record<string, string>;
    const client = createManagementClient({
      url: start.url!,
      accountId: start.accountId!,
      clusterId: start.clusterId!,
      managementToken: start.managementToken!,
    });
    const token = await client.createToken({ description: 'x', permissions: [] });
    expect(token.createdAt).toMatch(/:\d{2}\.000Z$/);
    expect((await emulator.stop('SIGTERM')).code).toBe(0);

    const bad = run(['emulator', '--port', '0', '--time-precision', 'minutes'], 1);
    bad.lines.catch(() => undefined); // it exits before printing a start line, as it should
    expect(await bad.exited).toBe(1);
  });

  it('text mode prints the URL, ids and an export line but never the token; SIGINT flushes --state', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provision-cli-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const token = 'chosen-management-token-for-tests';
    const account = '11111111-1111-4111-8111-111111111111';
    const cluster = '33333333-3333-4333-8333-333333333333';
    const emulator = run(
      [
        'emulator',
        '--port',
        '0',
        '--account-id',
        account,
        '--cluster-id',
        cluster,
        '--state',
        join(dir, 's.json'),
      ],
      4,
      { PROVISION_EMULATOR_TOKEN: token },
    );
    const lines = await emulator.lines;
    const url = /listening on (\S+) /.exec(lines[0] ?? '')?.[1] ?? '';
    const port = /:(\d+)\/api\/v0$/.exec(url)?.[1];
    expect(lines).toEqual([
      `provision emulator listening on http://127.0.0.1:${port}/api/v0 (account ${account}, cluster ${cluster})`,
      `export INFLUX_MANAGEMENT_URL=http://127.0.0.1:${port}/api/v0 INFLUX_ACCOUNT_ID=${account} INFLUX_CLUSTER_ID=${cluster} INFLUX_MANAGEMENT_TOKEN="$PROVISION_EMULATOR_TOKEN"`,
      `cluster URL (data plane): http://127.0.0.1:${port}`,
      'management token: the value of PROVISION_EMULATOR_TOKEN',
    ]);
    const client = createManagementClient({
      url,
      accountId: account,
      clusterId: cluster,
      managementToken: token,
    });
    const created = await client.createToken({ description: 'persisted' });
    const result = await emulator.stop('SIGINT');
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(token);
    const state = await readFile(join(dir, 's.json'), 'utf8');
    expect(state).toContain(created.id);
    expect(state).not.toContain(created.accessToken);
    expect(state).not.toContain(token);
  });

  it('without PROVISION_EMULATOR_TOKEN the text mode says where the token is', async () => {
    const emulator = run(['emulator', '--port', '0'], 4);
    expect((await emulator.lines)[3]).toBe(
      'management token: random, printed only with --json; set PROVISION_EMULATOR_TOKEN to choose one and the export line above sets it too',
    );
    expect((await emulator.stop('SIGTERM')).code).toBe(0);
  });

  it.each([
    [['--error-rate', '1.5'], 'error: --error-rate must be a probability from 0 to 1 (got "1.5")'],
    [
      ['--latency', '-1'],
      'error: --latency must be a number of milliseconds, 0 or more (got "-1")',
    ],
    [['--port', '70000'], 'error: --port must be a whole number from 0 to 65535 (got "70000")'],
    [
      ['--max-inflight', '0'],
      'error: --max-inflight must be a whole number from 1 to 1000000 (got "0")',
    ],
    [['--account-id', 'acct'], 'error: --account-id "acct" is not a UUID'],
    [
      ['--product', 'serverless'],
      'error: --product must be dedicated or clustered (got "serverless")',
    ],
    [['--databases-file', 'missing.txt'], 'error: --databases-file: missing.txt: no such file'],
  ])('%j is refused with one line and exit 1', async (args, message) => {
    const emulator = run(['emulator', '--port', '0', ...args], 1);
    emulator.lines.catch(() => undefined);
    const code = await emulator.exited;
    const result = await emulator.stop('SIGTERM');
    expect({ code, stderr: result.stderr, stdout: result.stdout }).toEqual({
      code: 1,
      stderr: `${message}\n`,
      stdout: '',
    });
  });

  it('a port in use is one clear line and exit 1', async () => {
    const busy = await startTestEmulator();
    const emulator = run(['emulator', '--port', String(busy.port)], 1);
    emulator.lines.catch(() => undefined);
    const code = await emulator.exited;
    expect({ code, stderr: (await emulator.stop('SIGTERM')).stderr }).toEqual({
      code: 1,
      stderr: `error: cannot listen on 127.0.0.1:${busy.port} (EADDRINUSE)\nhint: pick another --port, or --port 0 for a free one\n`,
    });
  });
});
