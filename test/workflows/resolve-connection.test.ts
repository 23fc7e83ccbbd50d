import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/workflows/resolve-connection.js';
import { cliContext } from '../../src/cli/workflow-context.js';
import type { CliIo } from '../../src/cli/io.js';
import { UsageError } from '../../src/errors.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

function io(env: NodeJS.ProcessEnv, cwd = tmpdir()): CliIo & { errors: () => string } {
  const stderr = new PassThrough();
  let text = '';
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    cwd,
    env,
    stdin: new PassThrough(),
    stdout: new PassThrough(),
    stderr,
    interactive: false,
    color: false,
    errors: () => text,
  };
}

describe('resolveConnection', () => {
  it('takes flags over the environment over the manifest', () => {
    const env = { INFLUX_ACCOUNT_ID: B, INFLUX_CLUSTER_ID: B, INFLUX_MANAGEMENT_TOKEN: 'secret' };
    const manifest = { accountId: C, clusterId: C, url: 'https://manifest.example/api/v0' };
    expect(resolveConnection({ accountId: A }, cliContext(io(env)), manifest)).toEqual({
      product: 'dedicated',
      url: 'https://manifest.example/api/v0',
      accountId: A,
      clusterId: B,
      managementToken: 'secret',
    });
  });

  it('treats an empty variable as unset and defaults the URL to Cloud Dedicated', () => {
    const env = { INFLUX_ACCOUNT_ID: '', INFLUX_CLUSTER_ID: ' ', INFLUX_MANAGEMENT_TOKEN: 't' };
    const connection = resolveConnection({}, cliContext(io(env)), { accountId: A, clusterId: C });
    expect(connection).toMatchObject({ accountId: A, clusterId: C });
    expect(connection.url).toBe('https://console.influxdata.com/api/v0');
  });

  it('never takes the management token from anywhere but the environment or a file', () => {
    expect(() => resolveConnection({}, cliContext(io({})), { accountId: A, clusterId: C })).toThrow(
      'no management token',
    );
  });

  it('reads the token from a file and warns when others can read that file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provision-token-file-'));
    const file = join(dir, 'token');
    writeFileSync(file, 'from-file\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    const loose = io({}, dir);
    const connection = resolveConnection({ managementTokenFile: 'token' }, cliContext(loose), {
      accountId: A,
      clusterId: C,
    });
    expect(connection.managementToken).toBe('from-file');
    expect(loose.errors()).toBe('warning: token is readable by other users; chmod 600 it\n');
    expect(loose.errors()).not.toContain('from-file');

    chmodSync(file, 0o600);
    const tight = io({}, dir);
    resolveConnection({ managementTokenFile: 'token' }, cliContext(tight), {
      accountId: A,
      clusterId: C,
    });
    expect(tight.errors()).toBe('');
  });

  it('refuses a token that is not visible ASCII, naming where it came from but never the token', () => {
    const secret = 'mgmtSecretValue';
    const ids = { accountId: A, clusterId: C };
    for (const [env, expected] of [
      [`${secret}\nx`, 'a line break (LF) at position 16'],
      [`${secret}\r\nx`, 'a line break (CR) at position 16'],
      [`${secret} x`, 'a space at position 16'],
      [`${secret}\u00e9`, 'a non-ASCII character at position 16'],
    ] as const) {
      let caught: unknown;
      try {
        resolveConnection({}, cliContext(io({ INFLUX_MANAGEMENT_TOKEN: env })), ids);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(UsageError);
      const { message, hint } = caught as UsageError;
      expect(message).toBe(
        `the management token from INFLUX_MANAGEMENT_TOKEN contains ${expected}`,
      );
      expect(`${message} ${hint ?? ''}`).not.toContain(secret);
    }

    const dir = mkdtempSync(join(tmpdir(), 'provision-token-file-'));
    writeFileSync(join(dir, 'token'), `\n  ${secret}\r\n${secret}\n`, { mode: 0o600 });
    expect(() =>
      resolveConnection({ managementTokenFile: 'token' }, cliContext(io({}, dir)), ids),
    ).toThrow(
      'the management token in --management-token-file token contains a line break (CR) at position 16',
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the flag and hints when an id is not a UUID', () => {
    expect(() =>
      resolveConnection({ accountId: 'acme' }, cliContext(io({ INFLUX_MANAGEMENT_TOKEN: 't' })), {
        clusterId: C,
      }),
    ).toThrow('account id "acme" is not a UUID');
  });
});
