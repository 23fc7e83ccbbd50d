import { describe, expect, it } from 'vitest';
import { ApiError, OutcomeUnknownError } from '../../src/api/errors.js';
import type { ClientEvent, RetryEvent } from '../../src/api/types.js';
import { startEmulator } from '../../src/emulator/start-emulator.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

const retries = (events: ClientEvent[]): RetryEvent[] =>
  events.filter((e): e is RetryEvent => e.type === 'retry');

describe('the client under each fault knob', () => {
  it('--error-rate: safe calls retry until they succeed; a create is never repeated', async () => {
    const emulator = await startTestEmulator({ errorRate: 0.5, seed: 7, retryAfterSeconds: 0 });
    const events: ClientEvent[] = [];
    const client = clientFor(emulator, {
      retry: { limit: 20, baseDelayMs: 1, maxDelayMs: 2 },
      onEvent: (e) => events.push(e),
    });
    for (let i = 0; i < 20; i += 1) expect(await client.listTokens()).toEqual([]);
    const serverErrors = retries(events).filter((e) => e.reason === 'server-error');
    expect(serverErrors.length).toBeGreaterThan(0);
    expect(serverErrors.length).toBe(emulator.store.counters.faults.serverErrors);
    expect(new Set(serverErrors.map((e) => e.status))).toEqual(new Set([500, 503]));

    emulator.setFaults({ errorRate: 1 });
    const failure = await client.createToken({ description: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutcomeUnknownError);
    expect(failure).toMatchObject({ reason: 'server-error' });
    expect(emulator.store.counters.byOperation['POST /tokens']).toBe(1);
  });

  it('--error-rate: a 503 with Retry-After waits that long (seeded so the first answer is a 503)', async () => {
    const emulator = await startTestEmulator({ errorRate: 1, seed: 1 });
    const events: ClientEvent[] = [];
    const client = clientFor(emulator, {
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'retry') emulator.setFaults({ errorRate: 0 });
      },
    });
    expect(await client.listDatabases()).toEqual([]);
    expect(retries(events)).toEqual([
      {
        type: 'retry',
        operation: expect.stringMatching(/^GET \/accounts\/.+\/databases$/),
        attempt: 1,
        status: 503,
        reason: 'server-error',
        delayMs: 1_000,
      },
    ]);
  });

  it('--rate-limit-rate: Retry-After is honoured, and even a create retries a 429', async () => {
    const emulator = await startTestEmulator({ rateLimitRate: 1, retryAfterSeconds: 1 });
    const events: ClientEvent[] = [];
    const client = clientFor(emulator, {
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'retry') emulator.setFaults({ rateLimitRate: 0 });
      },
    });
    const token = await client.createToken({ description: 'after a 429' });
    expect(retries(events)).toEqual([
      expect.objectContaining({ attempt: 1, status: 429, reason: 'rate-limited', delayMs: 1_000 }),
    ]);
    expect(emulator.store.counters.byOperation['POST /tokens']).toBe(2);
    expect(emulator.store.tokens().map((t) => t.id)).toEqual([token.id]);
  });

  it('--max-inflight: excess requests get 429 and succeed on retry', async () => {
    const emulator = await startTestEmulator({
      latencyMs: 20,
      maxInflight: 2,
      retryAfterSeconds: 0,
    });
    const events: ClientEvent[] = [];
    const client = clientFor(emulator, {
      retry: { limit: 50, baseDelayMs: 5, maxDelayMs: 20 },
      onEvent: (e) => events.push(e),
    });
    const results = await Promise.all(Array.from({ length: 8 }, () => client.listTokens()));
    expect(results).toEqual(Array.from({ length: 8 }, () => []));
    const overloaded = retries(events).filter((e) => e.status === 429);
    expect(overloaded.length).toBeGreaterThan(0);
    expect(overloaded.length).toBe(emulator.store.counters.faults.overloaded);
  });

  it('--latency beyond the timeout: safe calls give up with a clear error, a create is unknown', async () => {
    const emulator = await startTestEmulator({ latencyMs: 300 });
    const events: ClientEvent[] = [];
    const client = clientFor(emulator, {
      timeoutMs: 50,
      retry: { limit: 1, baseDelayMs: 1 },
      onEvent: (e) => events.push(e),
    });
    const failure = await client.listTokens().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toBe(
      'GET …/tokens failed after 2 attempts: no response within 50 ms',
    );
    expect((failure as ApiError).status).toBeUndefined();
    expect(retries(events).map((e) => e.reason)).toEqual(['timeout']);

    const create = await client.createToken({ description: 'slow' }).catch((e: unknown) => e);
    expect(create).toBeInstanceOf(OutcomeUnknownError);
    expect(create).toMatchObject({ reason: 'timeout' });
    expect(emulator.store.counters.byOperation['POST /tokens']).toBe(1);
  });

  it('--latency with --jitter inside the timeout: calls simply succeed', async () => {
    const emulator = await startTestEmulator({ latencyMs: 5, jitterMs: 10 });
    const client = clientFor(emulator, { timeoutMs: 5_000 });
    await expect(client.listTokens()).resolves.toEqual([]);
  });

  it('--ambiguous-rate: a create that committed is reported unknown and reached the server once', async () => {
    const emulator = await startTestEmulator({ ambiguousRate: 1 });
    const events: ClientEvent[] = [];
    const client = clientFor(emulator, { onEvent: (e) => events.push(e) });
    const failure = await client
      .createToken({ description: 'lost response' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutcomeUnknownError);
    expect((failure as OutcomeUnknownError).message).toMatch(
      /^POST …\/tokens: outcome unknown \(.+\); it may have been committed$/,
    );
    expect(retries(events)).toEqual([]);
    expect(emulator.store.counters.byOperation['POST /tokens']).toBe(1);
    expect(emulator.store.tokens().map((t) => t.description)).toEqual(['lost response']);
  });

  it('--ambiguous-rate: a revoke whose response was lost resolves when the retry finds 404', async () => {
    const emulator = await startTestEmulator();
    const client = clientFor(emulator);
    const token = await client.createToken({ description: 'to revoke' });
    emulator.setFaults({ ambiguousRate: 1 });
    await client.revokeToken(token.id);
    expect(emulator.store.counters.byOperation['DELETE /tokens/{id}']).toBe(2);
    expect(emulator.store.tokens()[0]?.revokedAt).toBeDefined();
  });

  it('--ambiguous-rate: an update whose response was lost is repeated with the same body', async () => {
    const emulator = await startTestEmulator();
    const events: ClientEvent[] = [];
    const client = clientFor(emulator, {
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'retry') emulator.setFaults({ ambiguousRate: 0 });
      },
    });
    const token = await client.createToken({ description: 'v1' });
    emulator.setFaults({ ambiguousRate: 1 });
    expect(await client.updateToken(token.id, { description: 'v2' })).toMatchObject({
      description: 'v2',
    });
    expect(retries(events).map((e) => e.reason)).toEqual(['network']);
    expect(emulator.store.counters.byOperation['PATCH /tokens/{id}']).toBe(2);
  });

  it('--list-lag: a new token is missing from lists until the lag passes, but found by id', async () => {
    let now = Date.parse('2025-06-01T00:00:00Z');
    const emulator = await startTestEmulator({ listLagMs: 10_000, now: () => new Date(now) });
    const client = clientFor(emulator);
    const token = await client.createToken({ description: 'lagging' });
    expect(await client.listTokens()).toEqual([]);
    expect((await client.getToken(token.id)).id).toBe(token.id);
    now += 10_000;
    expect((await client.listTokens()).map((t) => t.id)).toEqual([token.id]);
  });

  it('connection refused: even a create is retried, as nothing was sent', async () => {
    const emulator = await startEmulator({ port: 0 });
    await emulator.close();
    const events: ClientEvent[] = [];
    const client = clientFor(emulator, {
      retry: { limit: 2, baseDelayMs: 1 },
      onEvent: (e) => events.push(e),
    });
    const failure = await client.createToken({ description: 'x' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toBe(
      'POST …/tokens failed after 3 attempts: connection refused (ECONNREFUSED)',
    );
    expect(retries(events).map((e) => e.reason)).toEqual(['network', 'network']);
  });

  it('an abort while a create is in flight is reported as unknown', async () => {
    const emulator = await startTestEmulator({ latencyMs: 5_000 });
    const controller = new AbortController();
    const pending = clientFor(emulator).createToken(
      { description: 'x' },
      { signal: controller.signal },
    );
    setTimeout(() => {
      controller.abort();
    }, 20);
    await expect(pending).rejects.toMatchObject({ name: 'OutcomeUnknownError', reason: 'aborted' });
  });
});
