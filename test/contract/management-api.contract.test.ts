import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ManagementApi } from '../../src/api/types.js';
import type { Exchange, RunningEmulator } from '../../src/emulator/types.js';
import type { Product } from '../../src/model/index.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';
import { SPEC_PATHS, loadSpec, specAvailable } from './load-spec.js';

/**
 * Each product against its own spec file. Written here, not taken from the code's route
 * table, so a wrong table fails: Dedicated nests everything under the account and cluster,
 * Clustered serves the same operations at the root of `/api/v0`.
 */
const PRODUCTS: {
  product: Product;
  prefix: (emulator: RunningEmulator) => string;
  template: string;
}[] = [
  {
    product: 'dedicated',
    prefix: (e) => `/accounts/${e.accountId}/clusters/${e.clusterId}`,
    template: '/accounts/{accountId}/clusters/{clusterId}',
  },
  { product: 'clustered', prefix: () => '', template: '' },
];

/** Sends a raw request (for the database create, which the client does not offer). */
async function raw(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
  token = emulator.managementToken,
): Promise<number> {
  const prefix = PRODUCTS.find((p) => p.product === emulator.product)!.prefix(emulator);
  const response = await fetch(`${emulator.url}${prefix}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Every operation the emulator serves, driven once through the client (or raw for databases). */
function everyOperation(
  emulator: RunningEmulator,
  client: ManagementApi,
  tokenId: string,
  label: string,
): Promise<unknown>[] {
  return [
    client.listTokens(),
    client.createToken({ description: label, permissions: [{ action: 'read', resource: 'db' }] }),
    client.getToken(tokenId),
    client.updateToken(tokenId, { description: label }),
    client.revokeToken(tokenId),
    client.listDatabases(),
    raw(
      emulator,
      'POST',
      '/databases',
      { name: `db-${label}` },
      label === 'unauthorized' ? 'wrong' : emulator.managementToken,
    ),
  ].map((p) => p.catch(() => undefined));
}

describe.each(PRODUCTS)('Management API contract, $product', ({ product, template }) => {
  const available = specAvailable(product);
  const title = available
    ? `client requests and emulator responses follow ${SPEC_PATHS[product].split('/').pop()}`
    : `SKIPPED, ${SPEC_PATHS[product]} is absent (a clone without ../shared/reference)`;
  it.skipIf(!available)(title, async () => {
    const spec = loadSpec(product);
    const exchanges: Exchange[] = [];
    const emulator = await startTestEmulator({
      product,
      databases: ['db'],
      seed: 5,
      onExchange: (e) => exchanges.push(e),
    });
    const client = clientFor(emulator, { retry: { limit: 0 } });

    // Success paths, with every optional field on and off.
    await client.listDatabases();
    const full = await client.createToken({
      description: 'full',
      permissions: [
        { action: 'read', resource: 'db' },
        { action: 'write', resource: '*' },
      ],
      expiresAt: '2099-12-31T23:59:59Z',
    });
    const minimal = await client.createToken({ description: 'minimal' });
    await client.createToken({ description: 'no access', permissions: [] });
    await client.getToken(full.id);
    await client.updateToken(full.id, { description: 'renamed' });
    await client.updateToken(full.id, { permissions: [{ action: 'write', resource: 'db' }] });
    await client.updateToken(full.id, { description: 'both', permissions: [] });
    await client.revokeToken(minimal.id);
    await client.getToken(minimal.id);
    await client.listTokens();
    expect(
      await raw(emulator, 'POST', '/databases', {
        name: 'made',
        maxTables: 10,
        maxColumnsPerTable: 20,
        retentionPeriod: 0,
        partitionTemplate: [{ type: 'time', value: '%Y' }],
      }),
    ).toBe(200);

    // 400, 404, 409.
    await client
      .createToken({ description: 'x', expiresAt: 'next tuesday' })
      .catch(() => undefined);
    await client.updateToken(full.id, {}).catch(() => undefined);
    // The client refuses a non-UUID id before sending; the emulator's 400 is still covered.
    await raw(emulator, 'GET', '/tokens/not-a-uuid');
    await raw(emulator, 'POST', '/databases', { name: '' });
    await client.getToken(randomUUID()).catch(() => undefined);
    await client.updateToken(randomUUID(), { description: 'x' }).catch(() => undefined);
    await client.revokeToken(randomUUID()).catch(() => undefined);
    await client.updateToken(minimal.id, { description: 'x' }).catch(() => undefined);
    await raw(emulator, 'POST', '/databases', { name: 'db' });

    // 401 and 403 for every operation.
    await Promise.all(
      everyOperation(
        emulator,
        clientFor(emulator, { managementToken: 'wrong', retry: { limit: 0 } }),
        full.id,
        'unauthorized',
      ),
    );
    // Only Dedicated paths name an account a token could lack access to.
    if (product === 'dedicated') {
      const otherAccount = { ...emulator, accountId: randomUUID() };
      await Promise.all(
        everyOperation(
          otherAccount,
          clientFor(otherAccount, { retry: { limit: 0 } }),
          full.id,
          'forbidden',
        ),
      );
    }

    // 500 (and 503, 429, outside the spec) for every operation, with a fresh live token each round.
    // Which of the two a 5xx is comes from the PRNG: go round until every operation had both.
    const fiveHundreds = (): number =>
      new Set(
        exchanges
          .filter((e) => e.status === 500 || e.status === 503)
          .map((e) => `${e.operation} ${e.status}`),
      ).size;
    for (let round = 0; round < 40 && fiveHundreds() < 14; round += 1) {
      emulator.setFaults({ errorRate: 0 });
      const live = await client.createToken({ description: `round ${round}` });
      emulator.setFaults({ errorRate: 1 });
      await Promise.all(everyOperation(emulator, client, live.id, `r${round}`));
    }
    emulator.setFaults({ errorRate: 0, rateLimitRate: 1 });
    await client.listTokens().catch(() => undefined);
    emulator.setFaults({ rateLimitRate: 0 });

    const produced = new Map<string, Set<number>>();
    for (const exchange of exchanges) {
      const operation = spec.find(exchange.method, exchange.path);
      expect(operation, `${exchange.method} ${exchange.path} is in the spec`).toBeDefined();
      const status = exchange.status!;
      const statuses = produced.get(operation!.key) ?? new Set<number>();
      produced.set(operation!.key, statuses.add(status));
      const where = `${operation!.key} → ${status}`;

      if (operation!.responses.has(status)) {
        const validate = operation!.responses.get(status);
        if (validate === null) expect(exchange.responseBody, where).toBeUndefined();
        else
          expect(
            validate!(exchange.responseBody),
            `${where}: ${JSON.stringify(validate!.errors)}`,
          ).toBe(true);
      } else {
        // The spec lists no 429 or 503; such answers still carry its Error body.
        expect([429, 503], where).toContain(status);
        expect(spec.errorBody(exchange.responseBody), where).toBe(true);
        expect(exchange.responseBody).toMatchObject({ code: status });
      }
      if (operation!.request !== undefined && status !== 400) {
        const valid = operation!.request(exchange.requestBody);
        expect(valid, `${where} request ${JSON.stringify(operation!.request.errors)}`).toBe(true);
      }
    }

    const tokens = `${template}/tokens`;
    const databases = `${template}/databases`;
    const sorted = (key: string): number[] => [...(produced.get(key) ?? [])].sort();
    const forbidden = product === 'dedicated' ? [403] : [];
    const statuses = (...list: number[]): number[] => [...list, ...forbidden].sort();
    expect(
      Object.fromEntries([...produced.keys()].sort().map((key) => [key, sorted(key)])),
    ).toEqual({
      [`DELETE ${tokens}/{tokenId}`]: statuses(204, 401, 404, 500, 503),
      [`GET ${databases}`]: statuses(200, 401, 500, 503),
      [`GET ${tokens}`]: statuses(200, 401, 429, 500, 503),
      [`GET ${tokens}/{tokenId}`]: statuses(200, 400, 401, 404, 500, 503),
      [`PATCH ${tokens}/{tokenId}`]: statuses(200, 400, 401, 404, 409, 500, 503),
      [`POST ${databases}`]: statuses(200, 400, 401, 409, 500, 503),
      [`POST ${tokens}`]: statuses(200, 400, 401, 500, 503),
    });
    // The closed schemas above refuse undeclared fields; said once more in plain words.
    const answered = JSON.stringify(exchanges.map((e) => e.responseBody));
    if (product === 'clustered') expect(answered).not.toMatch(/accountId|clusterId/);
    else expect(answered).toMatch(/accountId/);
  });
});
