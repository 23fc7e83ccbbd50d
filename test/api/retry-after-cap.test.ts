import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import { ApiError } from '../../src/api/errors.js';
import { MAX_RETRY_AFTER_MS } from '../../src/api/retry-policy.js';
import type { ClientEvent, ClientSettings, RetryEvent } from '../../src/api/types.js';
import { startHostileServer } from '../helpers/hostile-server.js';

/** A server that rate-limits every request and asks the client to come back in 31 years. */
async function startStallingServer() {
  return startHostileServer((_request, response) => {
    response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '999999999' });
    response.end(JSON.stringify({ code: 429, message: 'slow down' }));
  });
}

function clientOf(url: string, extra: Partial<ClientSettings>) {
  return createManagementClient({
    url,
    accountId: randomUUID(),
    clusterId: randomUUID(),
    managementToken: 'mgmt-token-for-retry-tests',
    ...extra,
  });
}

it('caps a huge Retry-After at MAX_RETRY_AFTER_MS with the default retry options', async () => {
  const server = await startStallingServer();
  const controller = new AbortController();
  const retries: RetryEvent[] = [];
  const client = clientOf(server.url, {
    signal: controller.signal,
    onEvent: (event: ClientEvent) => {
      if (event.type !== 'retry') return;
      retries.push(event);
      // The planned delay is what matters; no need to sit through it.
      controller.abort();
    },
  });
  await expect(client.listTokens()).rejects.toMatchObject({ name: 'AbortError' });
  expect(MAX_RETRY_AFTER_MS).toBe(30_000);
  expect(retries.map((r) => [r.status, r.reason, r.delayMs])).toEqual([
    [429, 'rate-limited', MAX_RETRY_AFTER_MS],
  ]);
});

it('gives up once the next wait would overrun the retry budget of the call', async () => {
  const server = await startStallingServer();
  const retries: RetryEvent[] = [];
  const client = clientOf(server.url, {
    retry: { limit: 10, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 20, budgetMs: 50 },
    onEvent: (event: ClientEvent) => {
      if (event.type === 'retry') retries.push(event);
    },
  });
  const error = await client.listDatabases().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).message).toBe(
    '429 Too Many Requests from GET …/databases after 3 attempts: slow down',
  );
  // 20 + 20 fits in 50; a third 20 would not, so only three requests were sent.
  expect(retries.map((r) => r.delayMs)).toEqual([20, 20]);
  expect(server.requests).toHaveLength(3);
});
