import type { KyInstance } from 'ky';
import { classifyFailure } from './classify-failure.js';
import { ApiError, OutcomeUnknownError } from './errors.js';
import { readErrorBody } from './parse-response.js';
import {
  computeRetryDelay,
  isRetryableStatus,
  parseRetryAfter,
  sleep,
  type ResolvedRetryOptions,
} from './retry-policy.js';
import type { ClientEvent, RetryReason } from './types.js';

/** What every request of one client shares. */
export interface RequestContext {
  ky: KyInstance;
  retry: ResolvedRetryOptions;
  timeoutMs: number;
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
  signal?: AbortSignal;
}

/** A 2xx (or a 404 that counts as done): its status and raw body text. */
export interface RawResponse {
  status: number;
  text: string;
}

/**
 * Sends one call with the client's retry policy. ky's built-in retry is off (`retry: 0`)
 * because it cannot express this policy: it would retry a POST on 5xx or a timeout (a
 * duplicate token), it has no notion of "404 after a possibly committed DELETE means
 * done", and it does not let a `Retry-After` act as a floor under our own backoff. ky still
 * does the request, the per-attempt timeout, the prefix URL and the headers.
 */
export async function sendRequest(
  context: RequestContext,
  spec: RequestSpec,
): Promise<RawResponse> {
  const operation = `${spec.method} /${spec.path}`;
  const signals = [context.signal, spec.signal].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const emit = (event: ClientEvent): void => {
    // A throwing listener must not lose a response that carries a token string.
    try {
      context.onEvent?.(event);
    } catch {
      /* ignored on purpose */
    }
  };
  let mayHaveCommitted = false;

  for (let attempt = 1; ; attempt += 1) {
    signal?.throwIfAborted();
    const started = performance.now();
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await context.ky(spec.path, {
        method: spec.method,
        json: spec.json,
        signal,
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) {
        if (!spec.repeatable) {
          throw new OutcomeUnknownError({
            operation,
            reason: 'aborted',
            detail: 'cancelled while in flight',
          });
        }
        throw signal.reason;
      }
      const failure = classifyFailure(error, context.timeoutMs);
      if (!spec.repeatable && failure.maybeSent) {
        throw new OutcomeUnknownError({ operation, reason: failure.kind, detail: failure.detail });
      }
      if (!failure.retryable || attempt > context.retry.limit) {
        throw new ApiError({ operation, detail: failure.detail, attempts: attempt });
      }
      mayHaveCommitted ||= failure.maybeSent;
      await backOff(attempt, failure.kind, undefined, undefined);
      continue;
    }
    emit({
      type: 'response',
      operation,
      attempt,
      status,
      durationMs: Math.round(performance.now() - started),
    });

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
      if (attempt <= context.retry.limit) {
        mayHaveCommitted ||= status >= 500;
        await backOff(
          attempt,
          status === 429 ? 'rate-limited' : 'server-error',
          status,
          retryAfter,
        );
        continue;
      }
    }
    throw new ApiError({ operation, status, body, attempts: attempt });
  }

  async function backOff(
    attempt: number,
    reason: RetryReason,
    status: number | undefined,
    retryAfter: string | null | undefined,
  ): Promise<void> {
    const delayMs = computeRetryDelay(
      attempt,
      context.retry,
      parseRetryAfter(retryAfter ?? null),
      context.random,
    );
    emit({
      type: 'retry',
      operation,
      attempt,
      ...(status === undefined ? {} : { status }),
      reason,
      delayMs,
    });
    await sleep(delayMs, signal);
  }
}
