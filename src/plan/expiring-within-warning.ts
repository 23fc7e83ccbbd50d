import type { DesiredToken, Duration } from '../manifest/index.js';
import { renewalHelps } from './replace-reason.js';
import type { PlanWarning } from './types.js';

/**
 * `--expiring-within` that is as long as the tokens' own lifetime can renew nothing: a new
 * token would expire inside the window again, so the planner leaves them alone. Say so, so
 * that "No changes." is not read as "nothing is expiring". `null` when the flag can help.
 */
export function expiringWithinWarning(
  desired: readonly DesiredToken[],
  window: Duration | undefined,
  now: Date,
): PlanWarning | null {
  if (window === undefined) return null;
  const stuck = desired.filter(
    (token) => token.expiry !== null && !renewalHelps(token, now.getTime(), window.ms),
  );
  if (stuck.length === 0) return null;
  const lifetimes = [
    ...new Set(
      stuck.map((t) => (t.expiry?.kind === 'in' ? t.expiry.duration.text : 'a fixed expiresAt')),
    ),
  ];
  return {
    code: 'expiring-window-too-long',
    window: window.text,
    tokens: stuck.map((token) => token.name),
    lifetimes,
  };
}
