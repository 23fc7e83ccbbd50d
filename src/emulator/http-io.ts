import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer the router computed; written by `writeReply`. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A mutation committed: the state file must be written before answering. */
  committed?: boolean;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** The request body as text; undefined when it is larger than 1 MiB. */
export async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses JSON, keeping the raw text when it is not JSON (for the exchange log). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The error body every Management API failure carries. */
export function errorReply(
  status: number,
  message: string,
  headers?: Record<string, string>,
): Reply {
  return { status, body: { code: status, message }, ...(headers ? { headers } : {}) };
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  if (response.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    response.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(text));
  response.writeHead(reply.status, headers).end(text);
}
