/** One attempt's deadline: a signal that fires after `timeoutMs` or when the caller aborts. */
export interface Deadline {
  signal: AbortSignal;
  /** True when this deadline fired (not the caller's signal). */
  expired(): boolean;
  /** Stops the timer; call once the attempt (body included) is over. */
  clear(): void;
}

/**
 * Starts the deadline of one request. ky's `timeout` stops at the response headers; this
 * signal is handed to fetch and so also ends a body that stalls or dribbles a byte at a time.
 */
export function startDeadline(timeoutMs: number, caller: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, timeoutMs);
  return {
    signal: caller === undefined ? controller.signal : AbortSignal.any([caller, controller.signal]),
    expired: () => controller.signal.aborted && caller?.aborted !== true,
    clear: () => {
      clearTimeout(timer);
    },
  };
}
