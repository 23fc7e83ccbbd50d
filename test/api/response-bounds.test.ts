import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  createManagementClient,
  MAX_RESPONSE_BYTES,
} from '../../src/api/create-management-client.js';
import { ApiError, OutcomeUnknownError } from '../../src/api/errors.js';
import type { ClientSettings } from '../../src/api/types.js';
import { startHostileServer } from '../helpers/hostile-server.js';

const MiB = 1024 * 1024;

function clientOf(url: string, extra: Partial<ClientSettings> = {}) {
  return createManagementClient({
    url,
    accountId: randomUUID(),
    clusterId: randomUUID(),
    managementToken: 'mgmt-token-for-bounds-tests',
    retry: { limit: 0 },
    ...extra,
  });
}

/**
 * Writes a JSON-looking body that never ends, as fast as the client reads it (respecting
 * back-pressure, so the server itself stays small). Calls `onClose` when the client drops
 * the connection.
 */
function streamEndlessBody(response: ServerResponse, onClose: () => void, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.on('close', onClose);
  response.write('[');
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const pump = (): void => {
    while (!response.destroyed && response.write(chunk)) {
      /* keep writing until the socket pushes back */
    }
  };
  response.on('drain', pump);
  pump();
}

describe('response bodies are bounded', () => {
  it('stops reading an endless list at the cap, fails cleanly and drops the connection', async () => {
    let disconnected!: () => void;
    const dropped = new Promise<void>((resolve) => (disconnected = resolve));
    const server = await startHostileServer((_request, response) => {
      streamEndlessBody(response, disconnected);
    });
    const client = clientOf(server.url, { maxResponseBytes: MiB });

    const error = await client.listTokens().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe(
      '200 OK from GET …/tokens: the response is over 1 MiB',
    );
    expect((error as ApiError).hint).toMatch(/may not point at the Management API/);
    // The client cancelled the body instead of buffering it: the server sees the close.
    await dropped;
    expect(server.requests).toHaveLength(1);
  }, 20_000);

  it('a create whose response is over the cap may have committed: outcome unknown', async () => {
    const server = await startHostileServer((_request, response) => {
      streamEndlessBody(response, () => undefined);
    });
    const client = clientOf(server.url, { maxResponseBytes: MiB, retry: { limit: 3 } });
    const error = await client.createToken({ description: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).message).toBe(
      'POST …/tokens: outcome unknown (the response is over 1 MiB); it may have been committed',
    );
    expect(server.requests.map((r) => r.method)).toEqual(['POST']);
  }, 20_000);

  it('refuses a declared Content-Length over the default cap before reading the body', async () => {
    const server = await startHostileServer((_request, response) => {
      // Claims 3 GiB, then stalls: only the header can end this call.
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(3 * 1024 * MiB),
      });
      response.write('[');
    });
    const error = await clientOf(server.url)
      .listDatabases()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe(
      `200 OK from GET …/databases: the response is over ${MAX_RESPONSE_BYTES / MiB} MiB`,
    );
  }, 20_000);

  it('an error body is bounded too', async () => {
    const server = await startHostileServer((_request, response) => {
      streamEndlessBody(response, () => undefined, 500);
    });
    // Same endless stream, but the status says 500: still one clean error, no retry storm.
    const client = clientOf(server.url, { maxResponseBytes: MiB, retry: { limit: 2 } });
    await expect(client.getToken(randomUUID())).rejects.toThrow(/the response is over 1 MiB$/);
  }, 20_000);
});

describe('each request has a deadline that covers its body', () => {
  /** Sends the status line and headers at once, then one byte of body every 50 ms, forever. */
  async function startDribblingServer() {
    return startHostileServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
      const timer = setInterval(() => response.write(' '), 50);
      response.on('close', () => {
        clearInterval(timer);
      });
    });
  }

  it('a GET whose body dribbles times out, is retried, then fails with a timeout', async () => {
    const server = await startDribblingServer();
    const client = clientOf(server.url, {
      timeoutMs: 300,
      retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await expect(client.listTokens()).rejects.toThrow(
      'GET …/tokens failed after 2 attempts: no response within 300 ms',
    );
    expect(server.requests).toHaveLength(2);
  }, 20_000);

  it('a create whose body dribbles is an unknown outcome, never repeated', async () => {
    const server = await startDribblingServer();
    const client = clientOf(server.url, { timeoutMs: 300, retry: { limit: 3 } });
    const error = await client.createToken({ description: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).reason).toBe('timeout');
    expect(server.requests).toHaveLength(1);
  }, 20_000);
});
