import type { KyInstance, Options } from 'ky';
import type { NodeFetchInit } from './create-node-fetch.js';
import { classifyFailure, timeoutFailure, type FailureClass } from './classify-failure.js';
import { ApiError, OutcomeUnknownError, UNTRUSTED_ANSWER_HINT } from './errors.js';
import { readErrorBody } from './parse-response.js';
import { BodyTooLargeError, discardBody, readBoundedBody } from './read-bounded-body.js';
import {
  computeRetryDelay,
  isRetryableStatus,
  parseRetryAfter,
  sleep,
  type ResolvedRetryOptions,
} from './retry-policy.js';
import { startDeadline } from './start-deadline.js';
import type { ClientEvent, RetryReason } from './types.js';

/** What every request of one client shares. */
export interface RequestContext {
  ky: KyInstance;
  retry: ResolvedRetryOptions;
  /** Deadline of one attempt, headers and body included. */
  timeoutMs: number;
  /** Largest body read; more is cut off and reported. */
  maxResponseBytes: number;
  /** Strings that must never reach an error message (the management token). */
  secrets: readonly string[];
  onEvent: ((event: ClientEvent) => void) | undefined;
  signal: AbortSignal | undefined;
  random?: () => number;
}

/** One API call. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the base URL, without a leading slash. */
  path: string;
  json?: unknown;
  /** False for creates: once a POST may have reached the server it is never repeated. */
  repeatable: boolean;
  /** DELETE: a 404 after an attempt that may have committed means the work is done. */
  notFoundAfterRetryIsDone?: boolean;
  signal?: AbortSignal | undefined;
}

/** A 2xx (or a 404 that counts as done): its status and raw body text. */
export interface RawResponse {
  status: number;
  text: string;
}

const REDIRECT_HINT =
  'set INFLUX_MANAGEMENT_URL to the address the API answers on; redirects are refused so the management token only goes where you point it';

/**
 * Sends one call with the client's retry policy. ky's built-in retry is off (`retry: 0`)
 * because it cannot express this policy: it would retry a POST on 5xx or a timeout (a
 * duplicate token), it has no notion of "404 after a possibly committed DELETE means
 * done", and it does not let a `Retry-After` act as a floor under our own backoff. Its
 * timeout is off too: it stops at the headers, while ours covers the body. ky still does
 * the request, the prefix URL and the headers.
 */
export async function sendRequest(
  context: RequestContext,
  spec: RequestSpec,
): Promise<RawResponse> {
  const operation = `${spec.method} /${spec.path}`;
  // Followed by each attempt's deadline; joined into one signal only to wait out a backoff.
  const signals = [context.signal, spec.signal].filter((s): s is AbortSignal => s !== undefined);
  const stopped = (): AbortSignal | undefined => signals.find((s) => s.aborted);
  const emit = (event: ClientEvent): void => {
    // A throwing listener must not lose a response that carries a token string.
    try {
      context.onEvent?.(event);
    } catch {
      /* ignored on purpose */
    }
  };
  let mayHaveCommitted = false;
  let waitedMs = 0;

  for (let attempt = 1; ; attempt += 1) {
    stopped()?.throwIfAborted();
    const outcome = await attemptOnce(context, spec, signals);

    if (outcome.kind === 'failed') {
      const signal = stopped();
      if (signal !== undefined) {
        if (!spec.repeatable) {
          throw new OutcomeUnknownError({
            operation,
            reason: 'aborted',
            detail: 'cancelled while in flight',
          });
        }
        throw signal.reason;
      }
      const { failure } = outcome;
      if (!spec.repeatable && failure.maybeSent) {
        throw new OutcomeUnknownError({ operation, reason: failure.kind, detail: failure.detail });
      }
      mayHaveCommitted ||= failure.maybeSent;
      if (failure.retryable && (await backOff(attempt, failure.kind, undefined, null))) continue;
      throw new ApiError({ operation, detail: failure.detail, attempts: attempt });
    }

    const { status } = outcome;
    emit({ type: 'response', operation, attempt, status, durationMs: outcome.durationMs });
    if (outcome.kind === 'redirect') {
      // An answer, not a failure: never retried, and the other origin gets nothing.
      const where = outcome.locationHost ?? 'no usable Location';
      throw new ApiError({
        operation,
        status,
        detail: `redirects are not followed (${outcome.locationHost === undefined ? where : `Location: ${where}`})`,
        hint: REDIRECT_HINT,
      });
    }
    if (outcome.kind === 'too-large') {
      const detail = outcome.detail;
      // A create's 2xx (or 5xx) may stand for a committed token whose string is lost.
      if (!spec.repeatable && (status < 300 || status >= 500)) {
        throw new OutcomeUnknownError({
          operation,
          reason: 'invalid-response',
          ...(status >= 500 ? { status } : {}),
          detail,
        });
      }
      throw new ApiError({ operation, status, detail, hint: UNTRUSTED_ANSWER_HINT });
    }

    const { text } = outcome;
    if (status >= 200 && status < 300) return { status, text };
    if (status === 404 && spec.notFoundAfterRetryIsDone === true && mayHaveCommitted) {
      return { status, text: '' };
    }
    const body = readErrorBody(text, status, context.secrets);
    if (isRetryableStatus(status)) {
      // A 429 is a refusal, so even a create may repeat; a 5xx may follow a commit.
      if (!spec.repeatable && status !== 429) {
        throw new OutcomeUnknownError({
          operation,
          reason: 'server-error',
          status,
          detail: `${status}${body ? `: ${body.message}` : ''}`,
        });
      }
      mayHaveCommitted ||= status >= 500;
      const reason = status === 429 ? 'rate-limited' : 'server-error';
      if (await backOff(attempt, reason, status, outcome.retryAfter)) continue;
    }
    throw new ApiError({ operation, status, body, attempts: attempt });
  }

  /** Waits before the next attempt; false when the retry limit or the wait budget is spent. */
  async function backOff(
    attempt: number,
    reason: RetryReason,
    status: number | undefined,
    retryAfter: string | null,
  ): Promise<boolean> {
    if (attempt > context.retry.limit) return false;
    const delayMs = computeRetryDelay(
      attempt,
      context.retry,
      parseRetryAfter(retryAfter),
      context.random,
    );
    if (waitedMs + delayMs > context.retry.budgetMs) return false;
    waitedMs += delayMs;
    emit({
      type: 'retry',
      operation,
      attempt,
      ...(status === undefined ? {} : { status }),
      reason,
      delayMs,
    });
    await sleep(delayMs, signals.length > 1 ? AbortSignal.any(signals) : signals[0]);
    return true;
  }
}

/** What one attempt came to. */
type Attempt =
  | {
      kind: 'answered';
      status: number;
      text: string;
      retryAfter: string | null;
      durationMs: number;
    }
  | { kind: 'redirect'; status: number; locationHost: string | undefined; durationMs: number }
  | { kind: 'too-large'; status: number; detail: string; durationMs: number }
  | { kind: 'failed'; failure: FailureClass };

/**
 * One request and its whole body under one deadline: the attempt's own AbortSignal fires
 * after `timeoutMs` whether the server is silent, slow to send headers, or dribbling the
 * body a byte at a time.
 */
async function attemptOnce(
  context: RequestContext,
  spec: RequestSpec,
  signals: readonly AbortSignal[],
): Promise<Attempt> {
  const deadline = startDeadline(context.timeoutMs, signals);
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const response = await context.ky(spec.path, requestOptions(spec, deadline.signal));
    const { status } = response;
    if (status >= 300 && status < 400) {
      discardBody(response);
      const locationHost = readLocationHost(response);
      return { kind: 'redirect', status, locationHost, durationMs: elapsed() };
    }
    const retryAfter = response.headers.get('retry-after');
    try {
      const text = await readBoundedBody(response, context.maxResponseBytes, deadline.signal);
      return { kind: 'answered', status, text, retryAfter, durationMs: elapsed() };
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return { kind: 'too-large', status, detail: error.message, durationMs: elapsed() };
    }
  } catch (error) {
    return {
      kind: 'failed',
      failure: deadline.expired()
        ? timeoutFailure(context.timeoutMs)
        : classifyFailure(error, context.timeoutMs),
    };
  } finally {
    deadline.clear();
  }
}

/**
 * ky's options for one attempt. A JSON body goes to the transport as bytes and the deadline
 * as `stop` (see `NodeFetchInit`), not into ky's Request: the body would build, tee and read
 * back a web stream, and a `signal` would be joined with ky's own on every call.
 */
function requestOptions(spec: RequestSpec, stop: AbortSignal): Options & NodeFetchInit {
  if (spec.json === undefined) return { method: spec.method, stop };
  return {
    method: spec.method,
    stop,
    headers: { 'content-type': 'application/json' },
    payload: Buffer.from(JSON.stringify(spec.json)),
  };
}

/** The host (and port) a redirect points at: never its path or query, which may hold anything. */
function readLocationHost(response: Response): string | undefined {
  const location = response.headers.get('location');
  if (location === null) return undefined;
  try {
    const host = new URL(location, response.url).host;
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}
