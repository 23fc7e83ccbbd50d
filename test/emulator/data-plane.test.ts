import { describe, expect, it } from 'vitest';
import type { CreatedDatabaseToken, Permission } from '../../src/model/index.js';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

async function probe(
  emulator: RunningEmulator,
  kind: 'write' | 'query' | 'write-v1' | 'query-sql',
  database: string,
  secret: string | undefined,
  scheme = 'Bearer',
): Promise<{ status: number; reason: string | null }> {
  const headers: Record<string, string> =
    secret === undefined ? {} : { authorization: `${scheme} ${secret}` };
  const db = encodeURIComponent(database);
  const request: Record<typeof kind, [string, RequestInit]> = {
    write: [
      `/api/v2/write?bucket=${db}&precision=ns`,
      { method: 'POST', body: 'cpu v=1\ncpu v=2\n' },
    ],
    'write-v1': [`/write?db=${db}`, { method: 'POST', body: 'cpu v=1' }],
    query: [`/query?db=${db}&q=${encodeURIComponent('SELECT 1')}`, { method: 'GET' }],
    'query-sql': [`/api/v3/query_sql?db=${db}&q=SELECT%201`, { method: 'GET' }],
  };
  const [path, init] = request[kind];
  const response = await fetch(`${emulator.clusterUrl}${path}`, { ...init, headers });
  await response.arrayBuffer();
  return { status: response.status, reason: response.headers.get('x-emulator-reason') };
}

async function tokenWith(
  emulator: RunningEmulator,
  permissions: Permission[],
  expiresAt?: string,
): Promise<CreatedDatabaseToken> {
  return clientFor(emulator).createToken({
    description: 'probe',
    permissions,
    ...(expiresAt ? { expiresAt } : {}),
  });
}

describe('emulator data plane', () => {
  it('answers by the token alone: 2xx, 403 without the permission, 404 for a missing database', async () => {
    const emulator = await startTestEmulator({ databases: ['metrics', 'logs'] });
    const reader = await tokenWith(emulator, [{ action: 'read', resource: 'metrics' }]);
    const writerAll = await tokenWith(emulator, [{ action: 'write', resource: '*' }]);
    const cases: [Parameters<typeof probe>[1], string, string, number][] = [
      ['query', 'metrics', reader.accessToken, 200],
      ['query-sql', 'metrics', reader.accessToken, 200],
      ['query', 'logs', reader.accessToken, 403],
      ['write', 'metrics', reader.accessToken, 403],
      ['write', 'metrics', writerAll.accessToken, 204],
      ['write-v1', 'logs', writerAll.accessToken, 204],
      ['query', 'logs', writerAll.accessToken, 403],
      ['write', 'nope', writerAll.accessToken, 404],
    ];
    const got = [];
    for (const [kind, database, secret] of cases)
      got.push((await probe(emulator, kind, database, secret)).status);
    expect(got).toEqual(cases.map((c) => c[3]));
    expect((await probe(emulator, 'query', 'metrics', reader.accessToken, 'Token')).status).toBe(
      200,
    );
    expect(emulator.store.counters.pointsWritten).toBe(3);
  });

  it('401 while a token is missing, unknown, revoked, expired or not yet active', async () => {
    let now = Date.parse('2025-06-01T00:00:00Z');
    const emulator = await startTestEmulator({
      databases: ['db'],
      activationDelayMs: 30_000,
      now: () => new Date(now),
    });
    const token = await tokenWith(
      emulator,
      [{ action: 'read', resource: 'db' }],
      '2025-06-01T01:00:00Z',
    );
    expect(await probe(emulator, 'query', 'db', token.accessToken)).toEqual({
      status: 401,
      reason: 'not-yet-active',
    });
    now += 30_000;
    expect(await probe(emulator, 'query', 'db', token.accessToken)).toEqual({
      status: 200,
      reason: null,
    });
    expect(await probe(emulator, 'query', 'db', undefined)).toEqual({
      status: 401,
      reason: 'missing',
    });
    expect(await probe(emulator, 'query', 'db', `apiv1_${'0'.repeat(64)}`)).toEqual({
      status: 401,
      reason: 'unknown',
    });
    now = Date.parse('2025-06-01T01:00:00Z');
    expect(await probe(emulator, 'query', 'db', token.accessToken)).toEqual({
      status: 401,
      reason: 'expired',
    });

    const other = await tokenWith(emulator, [{ action: 'read', resource: 'db' }]);
    now += 30_000;
    expect((await probe(emulator, 'query', 'db', other.accessToken)).status).toBe(200);
    await clientFor(emulator).revokeToken(other.id);
    expect(await probe(emulator, 'query', 'db', other.accessToken)).toEqual({
      status: 401,
      reason: 'revoked',
    });
  });
});
