import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { expect, it, onTestFinished } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import type { ClientEvent, ClientSettings, ManagementApi } from '../../src/api/types.js';
import { startEmulator } from '../../src/emulator/start-emulator.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

/** Every way an error can be printed, logged or serialised. */
function renderings(error: unknown): string[] {
  const e = error as Error & { hint?: string };
  return [
    String(e),
    e.message,
    e.hint ?? '',
    e.stack ?? '',
    inspect(e, { depth: Infinity, showHidden: true }),
    JSON.stringify(e),
  ];
}

/**
 * A hostile server (not the emulator, which never echoes secrets): it quotes the request's
 * Authorization header and a token string back in every error message.
 */
async function startEchoingServer(status: number): Promise<string> {
  const server = createServer((request, response) => {
    const leak = `you sent ${request.headers.authorization ?? ''}; try apiv1_${'9'.repeat(64)}`;
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ code: status, message: leak }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    server.close();
    await once(server, 'close');
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v0`;
}

it('errors and events never contain the management token, its header or a token string', async () => {
  const managementToken = `mgmt_${randomBytes(24).toString('hex')}`;
  const events: ClientEvent[] = [];
  const make = (url: string, extra: Partial<ClientSettings> = {}): ManagementApi =>
    createManagementClient({
      url,
      accountId: randomUUID(),
      clusterId: randomUUID(),
      managementToken,
      retry: { limit: 1, baseDelayMs: 1 },
      onEvent: (e) => events.push(e),
      ...extra,
    });

  const emulator = await startTestEmulator({ managementToken });
  const ambiguous = await startTestEmulator({ managementToken, ambiguousRate: 1 });
  const slow = await startTestEmulator({ managementToken, latencyMs: 300 });
  const closed = await startEmulator({ port: 0 });
  await closed.close();
  const echo400 = await startEchoingServer(400);
  const echo500 = await startEchoingServer(500);

  const failures = await Promise.all(
    [
      make(emulator.url).listTokens(), // 403: random account
      clientFor(emulator, { managementToken: `${managementToken}x` }).listTokens(), // 401
      clientFor(ambiguous).createToken({ description: 'x' }), // outcome unknown, network
      clientFor(slow, { timeoutMs: 30, retry: { limit: 0 } }).listTokens(), // timeout
      clientFor(slow, { timeoutMs: 30 }).createToken({ description: 'x' }), // outcome unknown, timeout
      make(closed.url).listTokens(), // connection refused
      make(echo400).createToken({ description: 'x' }), // 400 quoting secrets
      make(echo500).createToken({ description: 'x' }), // outcome unknown quoting secrets
      make(echo500).listDatabases(), // 500 after retries quoting secrets
    ].map((promise) =>
      promise.then(
        () => new Error('expected a failure'),
        (error: unknown) => error,
      ),
    ),
  );

  expect(failures.map((e) => (e as Error).name)).toEqual([
    'ApiError',
    'ApiError',
    'OutcomeUnknownError',
    'ApiError',
    'OutcomeUnknownError',
    'ApiError',
    'ApiError',
    'OutcomeUnknownError',
    'ApiError',
  ]);
  for (const failure of failures) {
    for (const text of renderings(failure)) {
      expect(text).not.toContain(managementToken);
      expect(text).not.toMatch(/apiv1_[0-9a-z]/i);
      expect(text).not.toMatch(/Bearer [^[]/);
    }
  }
  expect((failures[6] as Error).message).toBe(
    '400 Bad Request from POST …/tokens: you sent Bearer [redacted]; try apiv1_[redacted]',
  );
  const serialisedEvents = JSON.stringify(events);
  expect(events.length).toBeGreaterThan(0);
  expect(serialisedEvents).not.toContain(managementToken);
});
