import { defaultMaxListeners, getMaxListeners, setMaxListeners } from 'node:events';

/** One attempt's deadline: a signal that fires after `timeoutMs` or when a caller aborts. */
export interface Deadline {
  signal: AbortSignal;
  /** True when this deadline's timer fired (not a caller's signal). */
  expired(): boolean;
  /** Stops the timer and lets go of the callers' signals; call once the attempt is over. */
  clear(): void;
}

/**
 * Starts the deadline of one request. ky's `timeout` stops at the response headers; this
 * signal is handed to the transport and so also ends a body that stalls or dribbles a byte
 * at a time. The callers' signals (the apply's stop, a create's intent span) are followed
 * by one listener each, removed by `clear`, rather than joined with `AbortSignal.any`: that
 * costs about 30 µs a call on Node 20 and keeps every joined signal registered until a
 * collection, on every request of an apply. Like Node's own fetch, a caller's signal still at
 * the default limit gets a higher one: a signal shared by the requests in flight is not a leak.
 */
/** The limit Node's fetch sets on a caller's signal for the same reason. */
const SHARED_LISTENERS = 1_500;

export function startDeadline(
  timeoutMs: number,
  callers: AbortSignal | undefined | readonly AbortSignal[],
): Deadline {
  const controller = new AbortController();
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    controller.abort();
  }, timeoutMs);
  const followed = callers === undefined ? [] : Array.isArray(callers) ? callers : [callers];
  const listeners: [AbortSignal, () => void][] = [];
  for (const caller of followed as readonly AbortSignal[]) {
    if (caller.aborted) {
      controller.abort(caller.reason);
      break;
    }
    if (getMaxListeners(caller) === defaultMaxListeners) setMaxListeners(SHARED_LISTENERS, caller);
    const follow = (): void => {
      controller.abort(caller.reason);
    };
    caller.addEventListener('abort', follow, { once: true });
    listeners.push([caller, follow]);
  }
  return {
    signal: controller.signal,
    expired: () => fired,
    clear: () => {
      clearTimeout(timer);
      for (const [caller, follow] of listeners) caller.removeEventListener('abort', follow);
    },
  };
}
