import { describe, expect, it } from 'vitest';
import type { Exchange, RunningEmulator } from '../../src/emulator/types.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

async function post(
  emulator: RunningEmulator,
  body: object,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(
    `${emulator.url}/accounts/${emulator.accountId}/clusters/${emulator.clusterId}/tokens`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emulator.managementToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    },
  );
  return { status: response.status, body: await response.json() };
}

describe('emulator: the service rough edges', () => {
  it('--time-precision s stamps createdAt and revokedAt in whole seconds, as the spec examples', async () => {
    let now = new Date('2026-03-02T04:20:19.734Z');
    const emulator = await startTestEmulator({ timePrecision: 's', now: () => now });
    const client = clientFor(emulator);
    const first = await client.createToken({ description: 'a', permissions: [] });
    now = new Date('2026-03-02T04:20:19.998Z');
    const second = await client.createToken({ description: 'b', permissions: [] });
    expect(first.createdAt).toBe('2026-03-02T04:20:19.000Z');
    expect(second.createdAt).toBe(first.createdAt);
    now = new Date('2026-03-02T04:21:00.500Z');
    await client.revokeToken(first.id);
    expect(emulator.store.tokens().find((t) => t.id === first.id)?.revokedAt).toBe(
      '2026-03-02T04:21:00.000Z',
    );
  });

  it('keeps milliseconds by default', async () => {
    const now = new Date('2026-03-02T04:20:19.734Z');
    const emulator = await startTestEmulator({ now: () => now });
    const token = await clientFor(emulator).createToken({ description: 'a' });
    expect(token.createdAt).toBe('2026-03-02T04:20:19.734Z');
  });

  it.each([
    [
      'the spec form (expiresAt alone)',
      { expiresAt: '2027-01-01T00:00:00Z' },
      200,
      '2027-01-01T00:00:00.000Z',
    ],
    ['the spec form without an expiry', {}, 200, undefined],
    [
      'the product page form (datetime)',
      { expirationType: 'datetime', expiresAt: '2027-01-01T00:00:00Z' },
      200,
      '2027-01-01T00:00:00.000Z',
    ],
    ['the product page form (noExpiration)', { expirationType: 'noExpiration' }, 200, undefined],
    ['datetime without expiresAt', { expirationType: 'datetime' }, 400, undefined],
    [
      'noExpiration with an expiresAt',
      { expirationType: 'noExpiration', expiresAt: '2027-01-01T00:00:00Z' },
      400,
      undefined,
    ],
    ['an unknown expirationType', { expirationType: 'forever' }, 400, undefined],
  ])('create body: %s', async (_what, extra, status, expiresAt) => {
    const emulator = await startTestEmulator();
    const response = await post(emulator, { description: 'x', permissions: [], ...extra });
    expect(response.status).toBe(status);
    if (status === 200) {
      expect((response.body as { expiresAt?: string }).expiresAt).toBe(expiresAt);
      expect(response.body).not.toHaveProperty('expirationType');
    } else expect(response.body).toMatchObject({ code: 400 });
  });
});

describe('the client create body (built in one place: buildCreateTokenBody)', () => {
  it('sends the spec form: expiresAt only when the token expires, never expirationType', async () => {
    const bodies: unknown[] = [];
    const emulator = await startTestEmulator({
      onExchange: (exchange: Exchange) => {
        if (exchange.operation === 'POST /tokens') bodies.push(exchange.requestBody);
      },
    });
    const client = clientFor(emulator);
    const permissions = [{ action: 'read' as const, resource: 'db' }];
    await client.createToken({ description: 'a', permissions });
    await client.createToken({ description: 'b', permissions, expiresAt: '2027-01-01T00:00:00Z' });
    expect(bodies).toEqual([
      { description: 'a', permissions },
      { description: 'b', permissions, expiresAt: '2027-01-01T00:00:00Z' },
    ]);
  });
});
