import type { Duration } from './types.js';

const UNIT_MS = {
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
} as const;

// Units largest first, each at most once: `1d12h` reads unambiguously, `12h1d` does not.
const DURATION = /^(?:(\d{1,7})w)?(?:(\d{1,7})d)?(?:(\d{1,9})h)?(?:(\d{1,10})m)?(?:(\d{1,12})s)?$/;

/** The longest duration accepted: 100 years keeps every computed date representable. */
export const MAX_DURATION_MS = 36_500 * UNIT_MS.d;

/**
 * Parses `30s`, `15m`, `12h`, `90d`, `2w` or a combination such as `1d12h` (units largest
 * first, each once). Returns `null` for anything else, including `0d` and durations over
 * 100 years.
 */
export function parseDuration(text: string): Duration | null {
  if (text === '') return null;
  const match = DURATION.exec(text);
  if (match === null) return null;
  const [, weeks, days, hours, minutes, seconds] = match;
  const ms =
    toMs(weeks, UNIT_MS.w) +
    toMs(days, UNIT_MS.d) +
    toMs(hours, UNIT_MS.h) +
    toMs(minutes, UNIT_MS.m) +
    toMs(seconds, UNIT_MS.s);
  if (ms <= 0 || ms > MAX_DURATION_MS) return null;
  return { text, ms };
}

function toMs(digits: string | undefined, unit: number): number {
  return digits === undefined ? 0 : Number(digits) * unit;
}

/** `0s`, `0d`, `0h0m`: a well-formed duration of zero, which `parseDuration` refuses. */
export function isZeroDuration(text: string): boolean {
  return /^(?:0+[wdhms])+$/.test(text) && DURATION.test(text);
}
