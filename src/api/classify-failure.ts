import { TimeoutError } from 'ky';

/** What a thrown fetch/ky error means for retrying. */
export interface FailureClass {
  kind: 'timeout' | 'network';
  /** False only when the request provably never reached the server (connection refused…). */
  maybeSent: boolean;
  /** Whether another attempt could succeed (a bad TLS certificate will not get better). */
  retryable: boolean;
  /** Short, secret-free text for messages, e.g. `connection refused (ECONNREFUSED)`. */
  detail: string;
}

/** Failures while connecting: the request bytes were never written, so even a POST may repeat. */
const NOT_SENT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
};

const AFTER_SENDING: Record<string, string> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body stalled',
};

/** An attempt that ran out of time: it may have reached the server, and may work next time. */
export function timeoutFailure(timeoutMs: number): FailureClass {
  return {
    kind: 'timeout',
    maybeSent: true,
    retryable: true,
    detail: `no response within ${timeoutMs} ms`,
  };
}

/** Classifies what ky/fetch threw; `timeoutMs` only words the message. */
export function classifyFailure(error: unknown, timeoutMs: number): FailureClass {
  if (error instanceof TimeoutError) return timeoutFailure(timeoutMs);
  const codes = collectCodes(error);
  if (codes.length > 0 && codes.every((code) => code in NOT_SENT)) {
    const code = codes[0] ?? '';
    return {
      kind: 'network',
      maybeSent: false,
      retryable: true,
      detail: `${NOT_SENT[code]} (${code})`,
    };
  }
  const tls = codes.find((code) => /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code));
  if (tls !== undefined) {
    return {
      kind: 'network',
      maybeSent: false,
      retryable: false,
      detail: `TLS certificate problem (${tls})`,
    };
  }
  const known = codes.find((code) => code in AFTER_SENDING);
  const detail =
    known !== undefined
      ? `${AFTER_SENDING[known]} (${known})`
      : codes[0] !== undefined
        ? `network error (${codes[0]})`
        : 'network error';
  return { kind: 'network', maybeSent: true, retryable: true, detail };
}

/** Error codes along the `cause` chain and inside AggregateErrors (Happy Eyeballs). */
function collectCodes(error: unknown, depth = 0): string[] {
  if (depth > 5 || typeof error !== 'object' || error === null) return [];
  const codes: string[] = [];
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (Array.isArray(errors) && errors.length > 0) {
    for (const inner of errors) codes.push(...collectCodes(inner, depth + 1));
  } else if (typeof code === 'string') {
    codes.push(code);
  }
  codes.push(...collectCodes(cause, depth + 1));
  return codes;
}
