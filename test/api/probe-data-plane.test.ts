import { describe, expect, it } from 'vitest';
import {
  assertClusterUrl,
  classifyStatus,
  probeDataPlane,
  waitUntilActive,
} from '../../src/api/probe-data-plane.js';
import type { Permission } from '../../src/model/index.js';
import { ProvisionError, UsageError } from '../../src/errors.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/types.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

async function setUp(
  permissions: Permission[],
  options: EmulatorOptions = {},
): Promise<{ emulator: RunningEmulator; token: string; id: string }> {
  const emulator = await startTestEmulator({ databases: ['sensors', 'logs'], ...options });
  const created = await clientFor(emulator).createToken({ description: 'probe', permissions });
  return { emulator, token: created.accessToken, id: created.id };
}

describe('probeDataPlane', () => {
  it('answers granted, denied and missing-database by the token alone, and never writes', async () => {
    const { emulator, token } = await setUp([
      { action: 'read', resource: 'sensors' },
      { action: 'write', resource: 'sensors' },
      { action: 'read', resource: 'logs' },
    ]);
    const probe = (action: 'read' | 'write', database: string) =>
      probeDataPlane({ clusterUrl: emulator.clusterUrl, token, action, database });
    expect(await probe('read', 'sensors')).toBe('granted');
    expect(await probe('write', 'sensors')).toBe('granted');
    expect(await probe('read', 'logs')).toBe('granted');
    expect(await probe('write', 'logs')).toBe('denied');
    expect(await probe('read', 'nope')).toBe('missing-database');
    // The write probe's empty body stores nothing.
    expect(emulator.store.counters.pointsWritten).toBe(0);
    expect(emulator.store.counters.byOperation).toMatchObject({ write: 2, query: 3 });
  });

  it('answers unauthenticated for an unknown and a revoked token', async () => {
    const { emulator, token, id } = await setUp([{ action: 'read', resource: '*' }]);
    const read = (secret: string) =>
      probeDataPlane({
        clusterUrl: emulator.clusterUrl,
        token: secret,
        action: 'read',
        database: 'logs',
      });
    expect(await read(token)).toBe('granted');
    expect(await read(`apiv1_${'x'.repeat(70)}`)).toBe('unauthenticated');
    await clientFor(emulator).revokeToken(id);
    expect(await read(token)).toBe('unauthenticated');
  });

  it('reports a network failure as an error that does not hold the token', async () => {
    const { emulator, token } = await setUp([]);
    await emulator.close();
    const result = await probeDataPlane({
      clusterUrl: emulator.clusterUrl,
      token,
      action: 'write',
      database: 'logs',
    });
    expect(result).toEqual({ error: 'connection refused (ECONNREFUSED)' });
    expect(JSON.stringify(result)).not.toContain(token);
  });

  it('accepts a cluster URL with a path and a trailing slash', async () => {
    const { emulator, token } = await setUp([{ action: 'read', resource: 'logs' }]);
    const result = await probeDataPlane({
      clusterUrl: `${emulator.clusterUrl}/`,
      token,
      action: 'read',
      database: 'logs',
    });
    expect(result).toBe('granted');
    expect(assertClusterUrl('https://c.example.com/base').href).toBe('https://c.example.com/base/');
  });

  it.each([
    ['http://cluster.example.com', /refusing plain http:\/\/ to cluster.example.com/],
    ['https://user:pw@cluster.example.com', /must not carry credentials/],
    ['ftp://127.0.0.1', /must be https:\/\//],
    ['not a url', /is not a URL/],
  ])('refuses the cluster URL %s', (url, message) => {
    expect(() => assertClusterUrl(url)).toThrow(UsageError);
    expect(() => assertClusterUrl(url)).toThrow(message);
  });

  it.each([
    [200, 'granted'],
    [204, 'granted'],
    [400, 'granted'],
    [401, 'unauthenticated'],
    [403, 'denied'],
    [404, 'missing-database'],
    [429, { error: 'unexpected HTTP 429' }],
    [503, { error: 'unexpected HTTP 503' }],
  ])('classifies HTTP %i', (status, expected) => {
    expect(classifyStatus(status)).toEqual(expected);
  });
});

describe('waitUntilActive', () => {
  it('polls until the token stops answering 401', async () => {
    // Every reading of the emulator's clock moves it on 1 s, so activation comes after a
    // few probes, whatever the machine's speed.
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const { emulator, token } = await setUp([{ action: 'write', resource: 'logs' }], {
      activationDelayMs: 3_000,
      now: () => new Date((clock += 1_000)),
    });
    const waited = await waitUntilActive({
      clusterUrl: emulator.clusterUrl,
      token,
      database: 'logs',
      timeoutMs: 30_000,
      intervalMs: 1,
    });
    expect(waited).toBeGreaterThanOrEqual(0);
    // Created at +1 s, active from +4 s: probes at +2 s and +3 s get 401, the third gets 403.
    expect(emulator.store.counters.byOperation.query).toBe(3);
  });

  it('throws a ProvisionError without the token when the wait times out', async () => {
    const { emulator, token } = await setUp([{ action: 'read', resource: 'logs' }], {
      activationDelayMs: 3_600_000,
    });
    const error: unknown = await waitUntilActive({
      clusterUrl: emulator.clusterUrl,
      token,
      database: 'logs',
      timeoutMs: 50,
      intervalMs: 10,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProvisionError);
    expect((error as Error).message).toBe(
      'the token did not become active within 50 ms (it still answers 401)',
    );
    expect(String((error as ProvisionError).hint)).not.toContain(token);
  });

  it('stops when aborted', async () => {
    const { emulator, token } = await setUp([], { activationDelayMs: 3_600_000 });
    const controller = new AbortController();
    const waiting = waitUntilActive({
      clusterUrl: emulator.clusterUrl,
      token,
      database: 'logs',
      timeoutMs: 60_000,
      intervalMs: 5,
      signal: controller.signal,
    });
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
  });
});
