import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import { ApiError } from '../../src/api/errors.js';
import { readTokenList } from '../../src/api/parse-response.js';
import { matchProductPath, productRoutes } from '../../src/api/product-routes.js';
import type { ProductIds } from '../../src/api/product-routes.js';
import { UsageError } from '../../src/errors.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

const A = '11111111-1111-4111-8111-111111111111';
const C = '33333333-3333-4333-8333-333333333333';
const T = '55555555-5555-4555-8555-555555555555';

describe('productRoutes: every path of each product, from one table', () => {
  it.each([
    [{ accountId: A, clusterId: C }, `accounts/${A}/clusters/${C}/`, ['accountId', 'clusterId']],
    [{ product: 'clustered' }, '', []],
  ] as [ProductIds, string, string[]][])('%j', (ids, prefix, owner) => {
    const routes = productRoutes(ids);
    expect([routes.tokens, routes.token(T), routes.databases, routes.database('a b')]).toEqual([
      `${prefix}tokens`,
      `${prefix}tokens/${T}`,
      `${prefix}databases`,
      `${prefix}databases/a%20b`,
    ]);
    expect(routes.ownerFields).toEqual(owner);
    expect(() => routes.token('..')).toThrow(UsageError);
    expect(() => routes.database('..')).toThrow(UsageError);
  });

  it('refuses ids handed to a Clustered client by a caller the types do not check', () => {
    const smuggled = { product: 'clustered', accountId: A } as unknown as ProductIds;
    expect(() => productRoutes(smuggled)).toThrow(
      'accountId and clusterId are not accepted for a Clustered cluster',
    );
  });

  it("matches the server's side of each product's paths, and never the other product's", () => {
    const dedicated = `/api/v0/accounts/${A}/clusters/${C}/tokens/${T}`;
    expect(matchProductPath('dedicated', dedicated)).toEqual({
      collection: 'tokens',
      item: T,
      ids: { accountId: A, clusterId: C },
    });
    expect(matchProductPath('clustered', '/api/v0/databases')).toEqual({
      collection: 'databases',
      item: undefined,
      ids: undefined,
    });
    expect(matchProductPath('clustered', dedicated)).toBeUndefined();
    expect(matchProductPath('dedicated', '/api/v0/tokens')).toBeUndefined();
  });
});

describe('one client, either product', () => {
  it('a Clustered client runs every operation on a Clustered emulator; bodies carry no ids', async () => {
    const emulator = await startTestEmulator({ product: 'clustered', databases: ['db'] });
    const client = clientFor(emulator);
    const created = await client.createToken({
      description: 'x',
      permissions: [{ action: 'read', resource: 'db' }],
    });
    expect(created).not.toHaveProperty('accountId');
    await client.updateToken(created.id, { description: 'y' });
    expect((await client.getToken(created.id)).description).toBe('y');
    await client.createDatabase({ name: 'new' });
    await client.updateDatabase('new', { maxTables: 10 });
    expect((await client.listDatabases()).map((d) => d.name)).toEqual(['db', 'new']);
    await client.revokeToken(created.id);
    expect((await client.listTokens())[0]).toMatchObject({
      id: created.id,
      revokedAt: expect.any(String),
    });
    expect(emulator.store.counters.byOperation.unknown).toBeUndefined();
  });

  it('the wrong product for the server is a clean 404, never a half-read body', async () => {
    const clustered = await startTestEmulator({ product: 'clustered' });
    const dedicatedClient = createManagementClient({
      url: clustered.url,
      accountId: randomUUID(),
      clusterId: randomUUID(),
      managementToken: clustered.managementToken,
      retry: { limit: 0 },
    });
    const error = await dedicatedClient.listTokens().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
  });

  it('a Dedicated client refuses a body without the account and cluster its spec requires', async () => {
    const clustered = await startTestEmulator({ product: 'clustered' });
    await clientFor(clustered).createToken({ description: 'x' });
    // What a Dedicated client would make of a Clustered answer: its reader, on that body.
    const body = await (
      await fetch(`${clustered.url}/tokens`, {
        headers: { authorization: `Bearer ${clustered.managementToken}` },
      })
    ).json();
    expect(() =>
      readTokenList(body, productRoutes({ accountId: A, clusterId: C }).ownerFields),
    ).toThrow('tokens[0].accountId is not a string');
    expect(readTokenList(body, productRoutes({ product: 'clustered' }).ownerFields)).toHaveLength(
      1,
    );
  });
});
