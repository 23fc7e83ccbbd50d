import { formatBytes } from '../files/index.js';

/** The body was longer than allowed; reading stopped there and the stream was cancelled. */
export class BodyTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`the response is over ${formatBytes(maxBytes)}`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * A response body as text, never holding more than `maxBytes` of it: a declared
 * `Content-Length` over the cap is refused before reading, and bytes are counted as they
 * stream in, so an endless or lying body is cut off at the cap (the stream is cancelled,
 * which closes the connection). `signal` (the request's deadline) ends a stalled read.
 */
export async function readBoundedBody(
  response: Response,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<string> {
  const body = response.body;
  if (body === null) return '';
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    void body.cancel().catch(() => undefined);
    throw new BodyTooLargeError(maxBytes);
  }
  const reader: ReadableStreamDefaultReader<Uint8Array> = body.getReader();
  // The deadline ends the read itself: whether aborting fetch's signal also errors a body
  // already being read depends on who forwards it (ky forwards to fetch only until the
  // headers arrive), so a dribbling body is cancelled here.
  const onAbort = (): void => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read();
      signal?.throwIfAborted();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        void reader.cancel().catch(() => undefined);
        throw new BodyTooLargeError(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** Drops a body that will not be read (a redirect's), so its connection is not held open. */
export function discardBody(response: Response): void {
  void response.body?.cancel().catch(() => undefined);
}
