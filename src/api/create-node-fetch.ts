import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';

/**
 * What ky hands its `fetch` besides the Request: options it does not know pass through
 * untouched. `payload` is the request body as bytes, kept out of the Request so that no web
 * stream is built, teed by ky's clone and read back for every call.
 */
export interface NodeFetchInit {
  payload?: Uint8Array;
  /**
   * Ends the request (and errors its body) when it aborts, in place of the Request's signal:
   * a `signal` in ky's options is joined with ky's own by `AbortSignal.any` on every call.
   */
  stop?: AbortSignal;
}

/** A `fetch` for ky: a Request in, a Response out. */
export type NodeFetch = (input: Request, init?: NodeFetchInit) => Promise<Response>;

/**
 * Idle keep-alive sockets are closed after this long, under the 5 s a Node server (and most
 * proxies) keep them, so a request is not sent down a socket the server is closing.
 */
const IDLE_SOCKET_MS = 4_000;

/**
 * A `fetch` over node:http(s) with keep-alive agents, for ky's `fetch` option. Node's global
 * fetch costs about 0.6 ms of CPU per call in request and response objects, web streams and
 * signals, four times node:http's; the apply makes thousands of calls and is CPU-bound.
 * Connections: one per call in flight (the caller's limit bounds them), idle ones reused
 * most-recent first and closed after `IDLE_SOCKET_MS`. Like fetch with `redirect: 'manual'`
 * it never follows a redirect, and it sends `accept-encoding: gzip, deflate` and inflates.
 * The body keeps back-pressure: nothing is read from the socket faster than the reader takes
 * it, so a byte cap on the reader bounds memory. Aborting the Request's signal destroys the
 * request and errors its body (`stop`, when given, instead of the Request's signal).
 */
export function createNodeFetch(): NodeFetch {
  const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS, scheduling: 'lifo' as const };
  let http: HttpAgent | undefined;
  let https: HttpsAgent | undefined;
  return async (request, init) => {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    const body =
      init?.payload ??
      (request.body === null ? undefined : new Uint8Array(await request.arrayBuffer()));
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate' };
    for (const [name, value] of request.headers) headers[name] = value;
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const signal = init?.stop ?? request.signal;
    signal.throwIfAborted();
    return new Promise<Response>((resolve, reject) => {
      const send = secure ? httpsRequest : httpRequest;
      const agent = secure
        ? (https ??= new HttpsAgent(agentOptions))
        : (http ??= new HttpAgent(agentOptions));
      let answered: ReadableStreamDefaultController<Uint8Array> | null = null;
      const onAbort = (): void => {
        // fetch rejects with the signal's reason (an AbortError unless the caller gave one).
        const given: unknown = signal.reason;
        const reason = given instanceof Error ? given : new DOMException('aborted', 'AbortError');
        outgoing.destroy(reason);
        try {
          answered?.error(reason);
        } catch {
          // The body was already complete: nothing left to end.
        }
        reject(reason);
      };
      const outgoing = send(url, { method: request.method, headers, agent }, (incoming) => {
        incoming.once('close', () => {
          signal.removeEventListener('abort', onAbort);
        });
        let stream: ReadableStream<Uint8Array> | null = null;
        if (isNullBody(incoming.statusCode)) incoming.resume();
        else {
          stream = bodyStream(incoming, (controller) => {
            answered = controller;
          });
        }
        const response = new Response(stream, {
          status: incoming.statusCode ?? 0,
          statusText: incoming.statusMessage ?? '',
          headers: responseHeaders(incoming.rawHeaders),
        });
        // A constructed Response has no URL; a relative Location is resolved against it.
        Object.defineProperty(response, 'url', { value: request.url });
        resolve(response);
      });
      outgoing.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      });
      signal.addEventListener('abort', onAbort, { once: true });
      outgoing.end(body);
    });
  };
}

/**
 * The body as a web stream that pulls from the socket: the message is paused whenever the
 * stream's queue is full and resumed when the reader asks for more. Cancelling destroys it.
 */
function bodyStream(
  incoming: IncomingMessage,
  started: (controller: ReadableStreamDefaultController<Uint8Array>) => void,
): ReadableStream<Uint8Array> {
  const source = decoded(incoming);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      started(controller);
      source.on('data', (chunk: Buffer) => {
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      });
      source.once('end', () => {
        controller.close();
      });
      source.once('error', (error) => {
        controller.error(error);
      });
    },
    pull() {
      source.resume();
    },
    cancel() {
      incoming.destroy();
      if (source !== incoming) source.destroy();
    },
  });
}

/** The message itself, or inflated when the server compressed it (as fetch would). */
function decoded(incoming: IncomingMessage): Readable {
  const encoding = incoming.headers['content-encoding']?.trim().toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'deflate') return incoming;
  const inflate = encoding === 'gzip' ? createGunzip() : createInflate();
  incoming.once('error', (error) => inflate.destroy(error));
  return incoming.pipe(inflate);
}

function responseHeaders(raw: readonly string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2)
    headers.append(raw[i] as string, raw[i + 1] as string);
  return headers;
}

/** Statuses whose Response must not have a body (the constructor throws otherwise). */
function isNullBody(status: number | undefined): boolean {
  return status === 204 || status === 205 || status === 304 || (status ?? 0) < 200;
}
