import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import {
  listedToken,
  sendJson,
  startHostileServer,
  type HostileServer,
} from '../helpers/hostile-server.js';

const MANIFEST = `version: 1
tokens:
  - name: reader
    description: Reader
    read: [metrics]
`;

const accountId = randomUUID();
const clusterId = randomUUID();
const managementToken = `mgmt_${randomUUID()}`;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'provision-hostile-'));
  writeFileSync(join(dir, 'tokens.yaml'), MANIFEST);
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function provision(server: HostileServer, args: string[]): Promise<CliRun> {
  return runCli(args, {
    cwd: dir,
    killAfterMs: 30_000,
    env: {
      INFLUX_MANAGEMENT_URL: server.url,
      INFLUX_ACCOUNT_ID: accountId,
      INFLUX_CLUSTER_ID: clusterId,
      INFLUX_MANAGEMENT_TOKEN: managementToken,
    },
  });
}

/** Answers the Management API's list calls with `tokens`; anything else gets `{}`. */
function managementApi(tokens: () => unknown) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const path = request.url ?? '';
    if (request.method === 'GET' && path.endsWith('/tokens')) {
      sendJson(response, 200, tokens());
    } else if (request.method === 'GET' && path.endsWith('/databases')) {
      sendJson(response, 200, [
        {
          accountId,
          clusterId,
          name: 'metrics',
          maxTables: 500,
          maxColumnsPerTable: 200,
          retentionPeriod: 0,
        },
      ]);
    } else {
      sendJson(response, 200, {});
    }
  };
}

/** One error line and one hint line, nothing on stdout, exit 1. */
function expectOneCleanError(run: CliRun, error: RegExp): void {
  expect(run.stdout).toBe('');
  expect(run.code).toBe(1);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(error);
  expect(lines[1]).toMatch(/^hint: /);
  expect(run.stderr).not.toContain(managementToken);
}

describe('token ids from the server must be UUIDs before anything acts on them', () => {
  // Each would be updated or revoked: `.` and `..` once made apply send
  // `DELETE …/clusters/C/tokens/` and `DELETE …/clusters/C/`.
  const hostileList = () => [
    listedToken(accountId, clusterId, '.', 'Reader [provision:reader]', [
      { action: 'write', resource: '*' },
    ]),
    listedToken(accountId, clusterId, '..', 'Gone [provision:gone]'),
    listedToken(accountId, clusterId, 'a/b', 'Other [provision:other]'),
  ];

  it.each([
    ['plan', ['plan', '--prune']],
    ['apply', ['apply', '--yes', '--prune']],
  ])('%s: the list is refused, and only the two lists were ever asked for', async (_name, args) => {
    const server = await startHostileServer(managementApi(hostileList));
    const run = await provision(server, args);
    expectOneCleanError(
      run,
      /^error: 200 OK from GET …\/tokens: unexpected response: tokens\[0\]\.id is not a UUID$/,
    );
    expect(server.requests.every((request) => request.method === 'GET')).toBe(true);
    expect(server.requests.map((request) => request.path.replace(/.*\//, '')).sort()).toEqual([
      'databases',
      'tokens',
    ]);
  });
});

describe('redirects are never followed', () => {
  it.each([
    ['plan', ['plan']],
    ['apply', ['apply', '--yes']],
  ])(
    '%s: a 307 to another origin is one error; that origin receives nothing',
    async (_name, args) => {
      const elsewhere = await startHostileServer(managementApi(() => []));
      const redirecting = await startHostileServer((request, response) => {
        response.writeHead(307, {
          location: `http://${elsewhere.host}${request.url ?? '/'}?token=${managementToken}`,
        });
        response.end();
      });
      const run = await provision(redirecting, args);
      expectOneCleanError(
        run,
        new RegExp(
          `^error: 307 Temporary Redirect from GET …/(tokens|databases): redirects are not followed \\(Location: ${elsewhere.host.replaceAll('.', '\\.')}\\)$`,
        ),
      );
      expect(elsewhere.requests).toEqual([]);
    },
  );
});

describe('--timeout: one deadline per request, its body included', () => {
  it('a list whose body dribbles is cut off at the deadline and retried', async () => {
    let dribbled = false;
    const api = managementApi(() => []);
    const server = await startHostileServer((request, response) => {
      if (!dribbled && request.url?.endsWith('/tokens') === true) {
        // Headers at once, then a byte now and then: only a deadline that covers the body ends it.
        dribbled = true;
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('[');
        const timer = setInterval(() => response.write(' '), 100);
        response.on('close', () => {
          clearInterval(timer);
        });
        return;
      }
      api(request, response);
    });
    const run = await provision(server, ['plan', '--timeout', '1s', '--debug']);
    expect(run.stderr).toMatch(/\/tokens: timeout; retrying in \d+ ms \(attempt 1 failed\)/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Plan: 1 to create');
    expect(run.stderr).not.toContain(managementToken);
  });

  it.each([
    ['plan', ['plan']],
    ['apply', ['apply', '--yes']],
    ['import', ['import', '--all-matching', '--yes']],
    ['verify', ['verify', '--cluster-url', 'http://127.0.0.1:9']],
  ])('%s: a bad --timeout is a usage error naming the flag', async (_name, args) => {
    const server = await startHostileServer(managementApi(() => []));
    const bad = await provision(server, [...args, '--timeout', 'soon']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'error: --timeout: "soon" is not a duration\nhint: write it like 30s, 2m or 1h\n',
    );
    const long = await provision(server, [...args, '--timeout', '2h']);
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/^error: --timeout: 2h is longer than the 60m maximum\n/);
    expect(server.requests).toEqual([]);
  });
});
