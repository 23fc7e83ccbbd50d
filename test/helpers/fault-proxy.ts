import { Agent, createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { onTestFinished } from 'vitest';
import { createSeededRandom } from '../../src/emulator/seeded-random.js';

/** What the proxy may do to whom. */
export interface FaultProxyOptions {
  /** Where requests go: the emulator's host and port. */
  target: { host: string; port: number };
  /**
   * Probability that a request is let through to the server, its whole answer read (so
   * the server has committed), and then the client's connection is reset instead of answered.
   */
  resetRate: number;
  /** Seed of the draws; one draw per request, in arrival order. */
  seed: number;
  /** Which requests may be reset (default: every one). `body` is the request body. */
  applies?: (method: string, path: string, body: string) => boolean;
  /** Requests answered `503` by the proxy itself, never forwarded (default: none). */
  refuse?: (method: string, path: string, body: string) => boolean;
}

/** A running proxy and what it did. */
export interface FaultProxy {
  port: number;
  /** `url` with its host and port swapped for the proxy's. */
  rewrite(url: string): string;
  readonly counts: { forwarded: number; resets: number; refused: number };
  setResetRate(rate: number): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'proxy-connection',
  'upgrade',
  'content-length',
]);

/**
 * A small HTTP proxy on port 0 in front of the emulator: the ambiguous failure as an
 * independent middlebox makes it (a load balancer dropping connections), not as the
 * emulator's own knob. A reset request really reached the server, whatever it did there.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = createSeededRandom(options.seed);
  let rate = options.resetRate;
  const counts = { forwarded: 0, resets: 0, refused: 0 };
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    // Drawn on arrival, so one seed gives one sequence of fates for one sequence of requests.
    const draw = random();
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    void readAll(request).then((body) => {
      const text = body.toString('utf8');
      if (options.refuse?.(method, path, text) === true) {
        counts.refused += 1;
        response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        response.end(JSON.stringify({ code: 503, message: 'refused by the fault proxy' }));
        return;
      }
      const reset = draw < rate && (options.applies?.(method, path, text) ?? true);
      const upstream = httpRequest(
        {
          host: options.target.host,
          port: options.target.port,
          method,
          path,
          agent,
          headers: { ...pickHeaders(request.headers), 'content-length': String(body.length) },
        },
        (answer) => {
          void readAll(answer).then((payload) => {
            counts.forwarded += 1;
            if (reset) {
              counts.resets += 1;
              request.socket.resetAndDestroy();
              return;
            }
            response.writeHead(answer.statusCode ?? 502, {
              ...pickHeaders(answer.headers),
              'content-length': String(payload.length),
            });
            response.end(payload);
          });
        },
      );
      upstream.on('error', () => request.socket.destroy());
      upstream.end(body);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const proxy: FaultProxy = {
    port,
    rewrite: (url) => {
      const parsed = new URL(url);
      parsed.host = `127.0.0.1:${port}`;
      return parsed.toString().replace(/\/$/, '');
    },
    counts,
    setResetRate: (next) => {
      rate = next;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        for (const socket of sockets) socket.destroy();
        agent.destroy();
      });
      return closing;
    },
  };
  return proxy;
}

/** Starts a proxy that closes when the current test finishes. */
export async function startTestFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const proxy = await startFaultProxy(options);
  onTestFinished(() => proxy.close());
  return proxy;
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      resolve(Buffer.concat(chunks));
    });
    // A client that went away: nothing to forward.
    stream.on('error', () => {
      resolve(Buffer.concat(chunks));
    });
  });
}

function pickHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}
