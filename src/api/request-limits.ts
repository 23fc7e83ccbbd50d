/**
 * Bounds on what one Management API call may cost, so a broken or hostile server (or
 * anything on the network path) costs a clear error instead of memory or a hung run.
 * Documented in the README ("Bounds").
 */

/**
 * Largest response body read, in bytes. A listed token is about 350 bytes (1.3 KiB with ten
 * permissions and a long description), so 128 MiB holds a list of 100,000 tokens with room
 * to spare, and stays far below V8's ~512 MiB string limit (a 3 GB body crashed the process).
 */
export const MAX_RESPONSE_BYTES = 128 * 1024 * 1024;

/** Deadline of one attempt, headers and body included, in ms: influxctl's default (60 s). */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Longest deadline accepted for one attempt, in ms. A request pending for an hour is a hang,
 * not patience; the bound also keeps the timer far inside setTimeout's 24.8-day range.
 */
export const MAX_TIMEOUT_MS = 60 * 60_000;
