import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { sendJson, startHostileServer, type HostileServer } from '../helpers/hostile-server.js';

const MANIFEST = `version: 1
tokens:
  - name: metrics-ro
    description: Read-only on metrics
    read: [metrics]
`;

/** The part before the break must never be printed either: that is the token a leak shows. */
const SECRET = `mgmt_${randomBytes(20).toString('hex')}`;

let dir: string;
let server: HostileServer;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'provision-mgmt-token-'));
  writeFileSync(join(dir, 'tokens.yaml'), MANIFEST);
  // Anything that reaches the network is recorded: nothing should.
  server = await startHostileServer((_request, response) => {
    sendJson(response, 200, []);
  });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function provision(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(args, {
    cwd: dir,
    // A read that blocked would hang the test; a kill turns that into a failure instead.
    killAfterMs: 20_000,
    env: {
      INFLUX_MANAGEMENT_URL: server.url,
      INFLUX_ACCOUNT_ID: randomUUID(),
      INFLUX_CLUSTER_ID: randomUUID(),
      ...env,
    },
  });
}

const COMMANDS: [string, string[]][] = [
  ['plan', ['plan']],
  ['apply', ['apply', '--yes']],
  ['import', ['import', '--all-matching', '--yes']],
];

/** Exit 1, one error line and one hint, no stack, and the token nowhere. */
function expectCleanRefusal(run: CliRun, message: string): void {
  const output = run.stdout + run.stderr;
  expect(output).not.toContain(SECRET);
  expect(output).not.toContain('internal error');
  expect(output).not.toMatch(/\n\s+at /);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toBe(`error: ${message}`);
  expect(lines[1]).toMatch(/^hint: a management token is visible ASCII only/);
  expect(server.requests).toEqual([]);
}

describe('a management token with a line break is refused before any use', () => {
  for (const [name, args] of COMMANDS) {
    it.each([
      ['\n', 'LF'],
      ['\r', 'CR'],
    ])(`${name}: INFLUX_MANAGEMENT_TOKEN with %j inside`, async (breakChar, label) => {
      const run = await provision(args, { INFLUX_MANAGEMENT_TOKEN: `${SECRET}${breakChar}x` });
      expectCleanRefusal(
        run,
        `the management token from INFLUX_MANAGEMENT_TOKEN contains a line break (${label}) at position ${SECRET.length + 1}`,
      );
    });

    it.each([
      ['\n', 'LF'],
      ['\r', 'CR'],
    ])(`${name}: --management-token-file with %j inside`, async (breakChar, label) => {
      writeFileSync(join(dir, 'mgmt.token'), `${SECRET}${breakChar}x\n`, { mode: 0o600 });
      const run = await provision([...args, '--management-token-file', 'mgmt.token']);
      expectCleanRefusal(
        run,
        `the management token in --management-token-file mgmt.token contains a line break (${label}) at position ${SECRET.length + 1}`,
      );
    });
  }

  it('a token with surrounding whitespace is still trimmed and used', async () => {
    const run = await provision(['plan'], { INFLUX_MANAGEMENT_TOKEN: `  ${SECRET}\n` });
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.authorization === `Bearer ${SECRET}`)).toBe(true);
  });
});

describe('--management-token-file must be a regular file', () => {
  const refused = 'is not a regular file (a pipe, socket or device); refusing to read it';

  it.each([
    ['/dev/zero', () => '/dev/zero', refused],
    [
      'a FIFO nobody writes to',
      () => {
        const fifo = join(dir, 'token.fifo');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
      refused,
    ],
    [
      'a folder',
      () => {
        const folder = join(dir, 'token-folder');
        mkdirSync(folder);
        return folder;
      },
      'is a folder, not a file',
    ],
  ])('%s: exit 1 at once with one clear line', async (_label, makePath, problem) => {
    const path = makePath();
    const run = await provision(['plan', '--management-token-file', path]);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: --management-token-file: ${path} ${problem}\nhint: pass a file that holds only the management token\n`,
    );
    expect(server.requests).toEqual([]);
  });
});
