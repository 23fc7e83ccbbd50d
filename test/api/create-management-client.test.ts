import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import { ApiError, isNotFound } from '../../src/api/errors.js';
import type { ClientEvent } from '../../src/api/types.js';
import { UsageError } from '../../src/errors.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

describe('createManagementClient against the emulator', () => {
  it('creates, lists, gets, updates and revokes tokens, and lists databases', async () => {
    const emulator = await startTestEmulator({ databases: ['metrics', 'logs'] });
    const client = clientFor(emulator);

    const created = await client.createToken({
      description: 'ingest',
      permissions: [{ action: 'write', resource: 'metrics' }],
      expiresAt: '2099-01-01T00:00:00Z',
    });
    expect(created).toMatchObject({
      accountId: emulator.accountId,
      clusterId: emulator.clusterId,
      description: 'ingest',
      permissions: [{ action: 'write', resource: 'metrics' }],
      expiresAt: '2099-01-01T00:00:00.000Z',
    });
    expect(created.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(created.accessToken).toMatch(/^apiv1_[0-9a-f]{64}$/);
    expect(new Date(created.createdAt).toISOString()).toBe(created.createdAt);

    const bare = await client.createToken({ description: 'no access' });
    expect(bare.permissions).toEqual([]);

    const { accessToken: _secret, ...withoutSecret } = created;
    expect(await client.getToken(created.id)).toEqual(withoutSecret);
    const listed = await client.listTokens();
    expect(listed.map((t) => t.id).sort()).toEqual([created.id, bare.id].sort());
    expect(JSON.stringify(listed)).not.toContain('apiv1_');

    const updated = await client.updateToken(created.id, {
      description: 'ingest v2',
      permissions: [{ action: 'read', resource: '*' }],
    });
    expect(updated).toEqual({
      ...withoutSecret,
      description: 'ingest v2',
      permissions: [{ action: 'read', resource: '*' }],
    });
    expect(await client.updateToken(created.id, { permissions: [] })).toMatchObject({
      description: 'ingest v2',
      permissions: [],
    });

    await client.revokeToken(created.id);
    const revoked = await client.getToken(created.id);
    expect(revoked.revokedAt).toBeDefined();
    expect((await client.listTokens()).find((t) => t.id === created.id)?.revokedAt).toBe(
      revoked.revokedAt,
    );

    expect((await client.listDatabases()).map((d) => d.name)).toEqual(['metrics', 'logs']);
  });

  it('reports each error status as one clear line with a hint', async () => {
    const emulator = await startTestEmulator();
    const client = clientFor(emulator);
    const wrongToken = clientFor(emulator, { managementToken: 'not-the-management-token' });
    const otherAccount = clientFor({ ...emulator, accountId: randomUUID() });

    const unauthorized = await wrongToken.listTokens().catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(ApiError);
    expect((unauthorized as ApiError).message).toBe(
      '401 Unauthorized from GET …/tokens: check INFLUX_MANAGEMENT_TOKEN',
    );
    expect((unauthorized as ApiError).hint).toMatch(
      /^the management token is missing, wrong or expired/,
    );
    expect((unauthorized as ApiError).status).toBe(401);
    expect((unauthorized as ApiError).operation).toBe(
      `GET /accounts/${emulator.accountId}/clusters/${emulator.clusterId}/tokens`,
    );

    await expect(otherAccount.listDatabases()).rejects.toThrow(
      '403 Forbidden from GET …/databases: check the account id, cluster id and token scope',
    );

    const missingId = randomUUID();
    const missing = await client.getToken(missingId).catch((e: unknown) => e);
    expect((missing as ApiError).message).toBe(
      `404 Not Found from GET …/tokens/${missingId}: check the account, cluster and token ids`,
    );
    expect(isNotFound(missing)).toBe(true);
    expect(isNotFound(unauthorized)).toBe(false);

    await expect(client.createToken({ description: 'x', expiresAt: 'tomorrow' })).rejects.toThrow(
      '400 Bad Request from POST …/tokens: expiresAt must be an RFC 3339 date-time such as 2025-01-31T00:00:00Z',
    );

    const token = await client.createToken({ description: 'short-lived' });
    await client.revokeToken(token.id);
    await expect(client.updateToken(token.id, { description: 'again' })).rejects.toThrow(
      `409 Conflict from PATCH …/tokens/${token.id}: the token is revoked and cannot be updated`,
    );
    // A 404 on the first attempt is a real 404, not "already done".
    const again = await client.revokeToken(token.id).catch((e: unknown) => e);
    expect(isNotFound(again)).toBe(true);
  });

  it('emits response events without headers, bodies or secrets', async () => {
    const emulator = await startTestEmulator();
    const events: ClientEvent[] = [];
    const client = clientFor(emulator, { onEvent: (event) => events.push(event) });
    const token = await client.createToken({ description: 'x' });
    await client.listTokens();
    expect(
      events.map((e) => [
        e.type,
        e.operation.replace(/\/accounts\/.*\/tokens/, '/…/tokens'),
        'status' in e ? e.status : undefined,
      ]),
    ).toEqual([
      ['response', 'POST /…/tokens', 200],
      ['response', 'GET /…/tokens', 200],
    ]);
    const serialised = JSON.stringify(events);
    expect(serialised).not.toContain(emulator.managementToken);
    expect(serialised).not.toContain(token.accessToken);
  });

  it('refuses plain http to a non-loopback host before sending anything', () => {
    expect(() =>
      createManagementClient({
        url: 'http://console.influxdata.com/api/v0',
        accountId: randomUUID(),
        clusterId: randomUUID(),
        managementToken: 'x',
      }),
    ).toThrow(UsageError);
  });

  it('stops at once when the client signal or the call signal aborts', async () => {
    const emulator = await startTestEmulator({ latencyMs: 5_000 });
    const controller = new AbortController();
    const client = clientFor(emulator, { signal: controller.signal });
    const pending = client.listTokens();
    setTimeout(() => {
      controller.abort();
    }, 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    const perCall = new AbortController();
    perCall.abort();
    await expect(
      clientFor(emulator).listDatabases({ signal: perCall.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(emulator.store.counters.byOperation['GET /databases']).toBeUndefined();
  });

  it('follows the stop signals with a listener per attempt, let go when it ends, and no leak warning', async () => {
    const emulator = await startTestEmulator({ latencyMs: 100 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const stop = new AbortController();
      const perCall = new AbortController();
      const client = clientFor(emulator, { signal: stop.signal });
      // Forty calls in flight, each on the client's signal and one shared call signal.
      const calls = Array.from({ length: 40 }, () => client.listTokens({ signal: perCall.signal }));
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(40);
      expect(getEventListeners(perCall.signal, 'abort')).toHaveLength(40);
      await Promise.all(calls);
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
      expect(getEventListeners(perCall.signal, 'abort')).toHaveLength(0);

      const stopped = Array.from({ length: 40 }, () => client.listDatabases());
      await new Promise((resolve) => setTimeout(resolve, 30));
      stop.abort();
      const results = await Promise.allSettled(stopped);
      expect(results.map((r) => r.status)).toEqual(Array(40).fill('rejected'));
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ name: 'AbortError' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
