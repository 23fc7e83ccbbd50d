import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDelivery } from '../../src/deliver/index.js';
import type { DeliveryTarget } from '../../src/model/delivery-target.js';
import type { SecretRecord } from '../../src/secrets/types.js';
import { writeTargets } from './targets.js';

const STRING = 'apiv1_' + 'S3cr3tT0kenStr1ng'.repeat(3);
const record: SecretRecord = {
  name: 'payments-reader',
  team: 'payments',
  tokenId: '0f8b6c1e-2a5d-4c3b-9e7f-1a2b3c4d5e6f',
  description: 'Reader',
  permissions: [{ action: 'read', resource: 'payments_prod' }],
  createdAt: '2026-01-01T00:00:00Z',
  accessToken: STRING,
  sealedAt: '2026-01-01T00:00:01Z',
};
const env = {
  PATH: process.env.PATH,
  INFLUX_MANAGEMENT_TOKEN: 'mgmt-secret',
  PROVISION_PASSPHRASE: 'pp',
  HOME: '/nowhere',
};

let dir: string;
let scripts: ReturnType<typeof writeTargets>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'provision-deliver-'));
  scripts = writeTargets(dir);
});

function target(command: string[], extra: Partial<DeliveryTarget> = {}): DeliveryTarget {
  return {
    name: 'store',
    command,
    format: 'json',
    teams: null,
    timeoutMs: 10_000,
    concurrency: 1,
    source: { file: 'tokens.yaml', line: 1, column: 1 },
    ...extra,
  };
}

function deliver(t: DeliveryTarget, rec: SecretRecord = record) {
  return runDelivery({ target: t, record: rec, secretsFile: join(dir, 'x') }, t.command[0]!, {
    cwd: dir,
    env,
  });
}

describe('runDelivery', () => {
  it('fills placeholders into argv and sends the record on stdin, never in argv or the environment', async () => {
    const out = join(dir, 'record.jsonl');
    const t = target([scripts.record, out, 'influxdb/{team}/{name}', '{tokenId}', '{database}']);
    const outcome = await deliver(t);
    expect(outcome).toMatchObject({ ok: true, status: 'exit 0', stderr: [] });
    const seen = JSON.parse(readFileSync(out, 'utf8').trim()) as {
      args: string[];
      env: Record<string, string>;
      stdin: string;
    };
    expect(seen.args).toEqual([
      'influxdb/payments/payments-reader',
      record.tokenId,
      'payments_prod',
    ]);
    expect(JSON.parse(seen.stdin)).toEqual({
      name: 'payments-reader',
      team: 'payments',
      id: record.tokenId,
      string: STRING,
      description: 'Reader',
      permissions: record.permissions,
      database: 'payments_prod',
      createdAt: record.createdAt,
      expiresAt: null,
    });
    const exposed = JSON.stringify([seen.args, seen.env]);
    expect(exposed).not.toContain(STRING);
    expect(exposed).not.toContain('mgmt-secret');
    expect(
      Object.keys(seen.env).filter(
        (k) => k.startsWith('PROVISION_') || k === 'INFLUX_MANAGEMENT_TOKEN',
      ),
    ).toEqual([]);
    expect(seen.env.HOME).toBe('/nowhere'); // the store's own settings do reach it
  });

  it('sends only the bare string with format: string', async () => {
    const out = join(dir, 'string.jsonl');
    await deliver(target([scripts.record, out], { format: 'string' }));
    expect((JSON.parse(readFileSync(out, 'utf8').trim()) as { stdin: string }).stdin).toBe(STRING);
  });

  it('reports a failing command with its exit status and the last lines of stderr, the string redacted', async () => {
    const outcome = await deliver(
      target([scripts.flaky, join(dir, 'no-gate'), join(dir, 'log')], { format: 'string' }),
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.status).toBe('exit 1');
    expect(outcome.stderr).toEqual([
      'connecting to the store',
      'error: store rejected [redacted]',
      'permission denied',
    ]);
  });

  it('kills a command that hangs at its deadline', async () => {
    const outcome = await deliver(target([scripts.hang, join(dir, 'no-gate')], { timeoutMs: 300 }));
    expect(outcome).toMatchObject({ ok: false, status: 'timed out after 300ms (killed)' });
  });

  it('reports a command that crashes by its signal', async () => {
    const outcome = await deliver(target([scripts.crash, join(dir, 'no-gate')]));
    expect(outcome).toMatchObject({ ok: false, status: 'killed by SIGABRT' });
  });

  it('bounds stderr and never leaves part of the string where the kept tail starts', async () => {
    const outcome = await deliver(target([scripts.chatty], { format: 'string' }));
    expect(outcome.status).toBe('exit 3');
    expect(outcome.stderr.join('\n').length).toBeLessThan(2_000);
    expect(outcome.stderr).toEqual([`${'y'.repeat(300)}…`, 'last line [redacted]']);
    expect(outcome.stderr.join('\n')).not.toMatch(/Str1ng|S3cr3t|apiv1_/);
  });

  it('does not wait for a grandchild that keeps the pipes open', async () => {
    const outcome = await deliver(target([scripts.orphan]));
    expect(outcome).toMatchObject({ ok: true, status: 'exit 0' });
  });

  it('refuses a record whose fields could smuggle arguments (the secrets file is not trusted)', async () => {
    const t = target([scripts.record, join(dir, 'never.jsonl'), '{name}']);
    for (const bad of [{ name: '--exec=sh' }, { team: '../x' }, { tokenId: '-rf' }]) {
      const outcome = await deliver(t, { ...record, ...bad });
      expect(outcome.ok).toBe(false);
      expect(outcome.status).toMatch(/^not started: the record has/);
    }
  });

  it('reports a program that cannot start', async () => {
    const outcome = await deliver(target([join(dir, 'missing-program')]));
    expect(outcome).toMatchObject({ ok: false, status: 'not started: ENOENT' });
  });
});
