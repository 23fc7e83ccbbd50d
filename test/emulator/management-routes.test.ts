import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { startTestEmulator } from '../helpers/emulator.js';

/** A raw request, so the emulator is checked without the client's help. */
async function call(
  emulator: RunningEmulator,
  method: string,
  path: string,
  options: { body?: string | object; auth?: string | null } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const auth = options.auth === undefined ? `Bearer ${emulator.managementToken}` : options.auth;
  if (auth !== null) headers.authorization = auth;
  const body =
    typeof options.body === 'object' ? JSON.stringify(options.body) : (options.body ?? null);
  const response = await fetch(`${emulator.clusterUrl}${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : JSON.parse(text),
    headers: response.headers,
  };
}

const tokens = (e: RunningEmulator): string =>
  `/api/v0/accounts/${e.accountId}/clusters/${e.clusterId}/tokens`;
const databases = (e: RunningEmulator): string =>
  `/api/v0/accounts/${e.accountId}/clusters/${e.clusterId}/databases`;

describe('emulator: auth, ids and routing', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'Bearer wrong'],
    ['another scheme', 'Token whatever'],
  ])('401 with {code, message} for %s', async (_name, auth) => {
    const emulator = await startTestEmulator();
    const response = await call(emulator, 'GET', tokens(emulator), { auth });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      code: 401,
      message: 'unauthorized: missing or invalid management token',
    });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('403 for another account or cluster, 400 for a malformed id, 404 for unknown paths and tokens', async () => {
    const emulator = await startTestEmulator();
    const other = randomUUID();
    expect(
      await call(
        emulator,
        'GET',
        `/api/v0/accounts/${other}/clusters/${emulator.clusterId}/tokens`,
      ),
    ).toMatchObject({
      status: 403,
      body: { code: 403 },
    });
    expect(
      await call(
        emulator,
        'GET',
        `/api/v0/accounts/${emulator.accountId}/clusters/${other}/databases`,
      ),
    ).toMatchObject({
      status: 403,
    });
    expect(
      await call(emulator, 'GET', `/api/v0/accounts/nope/clusters/${emulator.clusterId}/tokens`),
    ).toMatchObject({
      status: 400,
      body: { code: 400, message: 'accountId must be a UUID' },
    });
    expect(await call(emulator, 'GET', `${tokens(emulator)}/not-a-uuid`)).toMatchObject({
      status: 400,
      body: { message: 'tokenId must be a UUID' },
    });
    expect(await call(emulator, 'GET', `${tokens(emulator)}/${randomUUID()}`)).toMatchObject({
      status: 404,
      body: { code: 404 },
    });
    expect(await call(emulator, 'DELETE', `${tokens(emulator)}/${randomUUID()}`)).toMatchObject({
      status: 404,
    });
    expect(await call(emulator, 'GET', '/api/v0/elsewhere')).toMatchObject({
      status: 404,
      body: { code: 404, message: 'not found' },
    });
    const put = await call(emulator, 'PUT', tokens(emulator), { body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
  });
});

describe('emulator: request bodies', () => {
  it.each([
    ['', 'request body is required'],
    ['{not json', 'request body is not valid JSON'],
    ['[]', 'request body must be a JSON object'],
    [{}, 'description is required'],
    [{ description: 7 }, 'description must be a string'],
    [{ description: 'x', name: 'y' }, 'unknown field "name"'],
    [{ description: 'x', permissions: {} }, 'permissions must be an array'],
    [
      { description: 'x', permissions: [{ action: 'admin', resource: 'db' }] },
      'permissions[0].action must be "read" or "write"',
    ],
    [
      { description: 'x', permissions: [{ action: 'read', resource: '' }] },
      'permissions[0].resource must be a database name (1-64 characters) or "*"',
    ],
    [
      { description: 'x', permissions: [{ action: 'read', resource: 'd'.repeat(65) }] },
      'permissions[0].resource must be a database name (1-64 characters) or "*"',
    ],
    [
      { description: 'x', permissions: [{ action: 'read', resource: 'db', extra: 1 }] },
      'unknown field "extra"',
    ],
    [
      { description: 'x', expiresAt: '2025-13-01T00:00:00Z' },
      'expiresAt must be an RFC 3339 date-time such as 2025-01-31T00:00:00Z',
    ],
    [
      { description: 'x', expiresAt: '2025-01-01' },
      'expiresAt must be an RFC 3339 date-time such as 2025-01-31T00:00:00Z',
    ],
  ])('create %j → 400 %s', async (body, message) => {
    const emulator = await startTestEmulator();
    expect(await call(emulator, 'POST', tokens(emulator), { body })).toMatchObject({
      status: 400,
      body: { code: 400, message },
    });
    expect(emulator.store.tokens()).toEqual([]);
  });

  it.each([
    [{}, 'request body must set description or permissions'],
    [
      { expiresAt: '2030-01-01T00:00:00Z' },
      'expiresAt cannot be changed; create a new token instead',
    ],
    [
      { description: 'x', expiresAt: '2030-01-01T00:00:00Z' },
      'expiresAt cannot be changed; create a new token instead',
    ],
    [
      { permissions: [{ action: 'write' }] },
      'permissions[0].resource must be a database name (1-64 characters) or "*"',
    ],
  ])('update %j → 400 %s', async (body, message) => {
    const emulator = await startTestEmulator();
    const created = await call(emulator, 'POST', tokens(emulator), {
      body: { description: 'keep' },
    });
    const id = (created.body as { id: string }).id;
    expect(await call(emulator, 'PATCH', `${tokens(emulator)}/${id}`, { body })).toMatchObject({
      status: 400,
      body: { code: 400, message },
    });
    expect(emulator.store.tokens()[0]?.description).toBe('keep');
  });

  it('creates databases with the spec defaults, 409 on a duplicate, 400 on a bad name', async () => {
    const emulator = await startTestEmulator({ databases: ['seeded'] });
    expect(
      await call(emulator, 'POST', databases(emulator), {
        body: { name: 'fresh', retentionPeriod: 3_600_000_000_000 },
      }),
    ).toMatchObject({
      status: 200,
      body: {
        accountId: emulator.accountId,
        clusterId: emulator.clusterId,
        name: 'fresh',
        maxTables: 500,
        maxColumnsPerTable: 200,
        retentionPeriod: 3_600_000_000_000,
      },
    });
    expect(
      await call(emulator, 'POST', databases(emulator), { body: { name: 'seeded' } }),
    ).toMatchObject({
      status: 409,
      body: { code: 409, message: 'database "seeded" already exists' },
    });
    expect(
      await call(emulator, 'POST', databases(emulator), { body: { name: 'x'.repeat(65) } }),
    ).toMatchObject({ status: 400 });
    expect(
      await call(emulator, 'POST', databases(emulator), { body: { name: 'y', maxTables: 0 } }),
    ).toMatchObject({
      status: 400,
      body: { message: 'maxTables must be an integer from 1 to 2147483647' },
    });
    expect((await call(emulator, 'GET', databases(emulator))).body).toHaveLength(2);
  });

  it.each([
    [{ name: 'p', partitionTemplate: [] }, 'partitionTemplate must be a list of 1-8 parts'],
    [
      {
        name: 'p',
        partitionTemplate: Array.from({ length: 9 }, (_, i) => ({ type: 'tag', value: `t${i}` })),
      },
      'partitionTemplate must be a list of 1-8 parts',
    ],
    [
      {
        name: 'p',
        partitionTemplate: [
          { type: 'tag', value: 'a' },
          { type: 'tag', value: 'a' },
        ],
      },
      'partitionTemplate parts must be unique',
    ],
    [
      {
        name: 'p',
        partitionTemplate: [{ type: 'bucket', value: { tagName: 'a', numberOfBuckets: 100_001 } }],
      },
      'partitionTemplate[0].value.numberOfBuckets must be an integer from 1 to 100000',
    ],
    [
      { name: 'p', partitionTemplate: [{ type: 'time', value: '' }] },
      'partitionTemplate[0].value must be a non-empty string',
    ],
    [
      { name: 'p', retentionPeriod: -1 },
      'retentionPeriod must be a whole number of nanoseconds, at least 0 (an int64)',
    ],
    [
      { name: 'p', maxColumnsPerTable: 2 ** 31 },
      'maxColumnsPerTable must be an integer from 1 to 2147483647',
    ],
  ])('refuses a database create the spec does not allow: %j', async (body, message) => {
    const emulator = await startTestEmulator();
    expect(await call(emulator, 'POST', databases(emulator), { body })).toMatchObject({
      status: 400,
      body: { code: 400, message },
    });
    expect(emulator.store.databases()).toEqual([]);
  });

  it('updates retention and limits with PATCH, never the partition template; 404 for no such database', async () => {
    const emulator = await startTestEmulator();
    const template = [{ type: 'tag', value: 'host' }];
    await call(emulator, 'POST', databases(emulator), {
      body: { name: 'a b', partitionTemplate: template },
    });
    const path = `${databases(emulator)}/${encodeURIComponent('a b')}`;
    expect(
      await call(emulator, 'PATCH', path, { body: { retentionPeriod: 60e9, maxTables: 9 } }),
    ).toEqual(
      expect.objectContaining({
        status: 200,
        // The spec's PATCH answer has no partitionTemplate.
        body: {
          accountId: emulator.accountId,
          clusterId: emulator.clusterId,
          name: 'a b',
          maxTables: 9,
          maxColumnsPerTable: 200,
          retentionPeriod: 60e9,
        },
      }),
    );
    expect(emulator.store.databases()[0]?.partitionTemplate).toEqual(template);
    expect(await call(emulator, 'PATCH', path, { body: {} })).toMatchObject({
      status: 400,
      body: { message: 'request body must set at least one field' },
    });
    expect(
      await call(emulator, 'PATCH', path, { body: { partitionTemplate: template } }),
    ).toMatchObject({ status: 400, body: { message: 'unknown field "partitionTemplate"' } });
    expect(
      await call(emulator, 'PATCH', `${databases(emulator)}/missing`, { body: { maxTables: 1 } }),
    ).toMatchObject({ status: 404 });
  });
});

describe('emulator: token lifecycle', () => {
  it('creates unique apiv1_ strings, keeps revoked tokens listed, refuses to change them', async () => {
    const emulator = await startTestEmulator();
    const first = (await call(emulator, 'POST', tokens(emulator), { body: { description: 'a' } }))
      .body as Record<string, string>;
    const second = (await call(emulator, 'POST', tokens(emulator), { body: { description: 'b' } }))
      .body as Record<string, string>;
    expect(first.accessToken).toMatch(/^apiv1_[0-9a-f]{64}$/);
    expect(first.accessToken).not.toBe(second.accessToken);
    expect(Object.keys(first)).toEqual([
      'accountId',
      'clusterId',
      'id',
      'description',
      'permissions',
      'createdAt',
      'accessToken',
    ]);

    expect(await call(emulator, 'DELETE', `${tokens(emulator)}/${first.id}`)).toMatchObject({
      status: 204,
      body: undefined,
    });
    const listed = (await call(emulator, 'GET', tokens(emulator))).body as Record<string, string>[];
    expect(listed.map((t) => [t.id, typeof t.revokedAt])).toEqual([
      [first.id, 'string'],
      [second.id, 'undefined'],
    ]);
    expect(JSON.stringify(listed)).not.toContain('accessToken');
    expect(
      await call(emulator, 'PATCH', `${tokens(emulator)}/${first.id}`, {
        body: { description: 'z' },
      }),
    ).toMatchObject({
      status: 409,
      body: { code: 409, message: 'the token is revoked and cannot be updated' },
    });
    expect(await call(emulator, 'DELETE', `${tokens(emulator)}/${first.id}`)).toMatchObject({
      status: 404,
      body: { code: 404, message: 'not found: the token is already revoked' },
    });
    expect(
      await call(emulator, 'GET', `${tokens(emulator)}/${first.id!.toUpperCase()}`),
    ).toMatchObject({ status: 200 });
  });

  it('draws the same faults for the same seed', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const emulator = await startTestEmulator({ seed, errorRate: 0.3, rateLimitRate: 0.2 });
      const result: number[] = [];
      for (let i = 0; i < 40; i += 1)
        result.push((await call(emulator, 'GET', tokens(emulator))).status);
      return result;
    };
    const first = await statuses(99);
    expect(await statuses(99)).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500, 503]));
    expect(await statuses(100)).not.toEqual(first);
  });
});
