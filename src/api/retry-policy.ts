import type { RetryOptions } from './types.js';

/** Retry settings with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * Longest `Retry-After` honoured, in ms: a real rate limit clears within seconds, while
 * `Retry-After: 999999999` must not park a run (it is a floor under our backoff, not a
 * promise to wait forever).
 */
export const MAX_RETRY_AFTER_MS = 30_000;

/**
 * Most time one call may spend waiting between its attempts, in ms: five retries at the
 * `Retry-After` cap would be 150 s; past a minute of refusals the user hears about it.
 */
export const DEFAULT_RETRY_BUDGET_MS = 60_000;

/** Defaults suited to the real service: about 8 s of backoff, at most a minute of waits. */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    limit: Math.max(0, Math.floor(options.limit ?? 5)),
    baseDelayMs: Math.max(0, options.baseDelayMs ?? 250),
    maxDelayMs: Math.max(0, options.maxDelayMs ?? 10_000),
    maxRetryAfterMs: Math.max(0, options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS),
    budgetMs: Math.max(0, options.budgetMs ?? DEFAULT_RETRY_BUDGET_MS),
  };
}

/**
 * Exponential backoff with full jitter (a uniform delay in `[0, min(max, base·2^(n-1))]`),
 * so many clients hit by the same failure do not come back in lock step. A server's
 * `Retry-After` is a floor: the client never comes back earlier than asked, up to
 * `maxRetryAfterMs`, so a hostile or broken header cannot stall a run for hours.
 */
export function computeRetryDelay(
  attempt: number,
  options: ResolvedRetryOptions,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const backoff = backoffDelay(attempt, options, random);
  if (retryAfterMs === undefined) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, options.maxRetryAfterMs));
}

/**
 * Exponential backoff with full jitter: a uniform delay in `[0, min(max, base·2^(n-1))]`.
 * The one backoff of the project: the client's retries and the executor's re-sent creates.
 */
export function backoffDelay(
  attempt: number,
  options: { baseDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from `now`; undefined if absent or bad. */
export function parseRetryAfter(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date) || !/[a-z]/i.test(value)) return undefined;
  return Math.max(0, date - now);
}

/** Statuses worth another attempt: the server says "not now" or failed. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
