import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** One request as the hostile server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/api/v0/accounts/A/clusters/C/tokens`. */
  path: string;
  authorization: string | undefined;
}

/** A server that answers whatever the test wants, and remembers every request. */
export interface HostileServer {
  /** Base URL with `/api/v0`, as INFLUX_MANAGEMENT_URL takes it. */
  url: string;
  /** `127.0.0.1:PORT`, as a redirect's Location host is named. */
  host: string;
  requests: RecordedRequest[];
}

/**
 * Starts a node:http server on port 0 (not the emulator, which behaves): `handle` answers
 * each request. Closed, with every open connection, when the current test finishes, so an
 * endless or stalled response cannot keep the test file alive.
 */
export async function startHostileServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<HostileServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      authorization: request.headers.authorization,
    });
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  );
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `http://${host}/api/v0`, host, requests };
}

/** A token as the Management API lists it, with whatever id the test wants. */
export function listedToken(
  accountId: string,
  clusterId: string,
  id: string,
  description: string,
  permissions: { action: string; resource: string }[] = [{ action: 'read', resource: 'metrics' }],
): Record<string, unknown> {
  return {
    accountId,
    clusterId,
    id,
    description,
    permissions,
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

/** Answers with a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
