import type { DatabaseToken } from '../model/index.js';
import type { DesiredToken } from '../manifest/index.js';
import { toSecondsIso } from './marker.js';
import type { ReasonCode } from './types.js';

/** What the planner knows, besides the two tokens, when deciding on a replace. */
export interface ReplaceContext {
  now: Date;
  /** Names given to `--replace`. */
  replaceNames: ReadonlySet<string>;
  /** `--expiring-within` in ms, or `null`. */
  expiringWithinMs: number | null;
  expiringWithinText: string | null;
  /** Token ids whose strings an interrupted apply lost. */
  lostSecretIds: ReadonlySet<string>;
}

/** Why a token must be replaced. */
export interface ReplaceReason {
  code: ReasonCode;
  reason: string;
}

/**
 * The one reason to replace `token` (the first that applies, most pressing first), or `null`.
 * A relative expiry (`90d`) is compared as a lifetime with a tolerance: the executor computes
 * `expiresAt` from its own clock at create time, so it never matches `createdAt` exactly.
 */
export function findReplaceReason(
  desired: DesiredToken,
  token: DatabaseToken,
  context: ReplaceContext,
): ReplaceReason | null {
  const now = context.now.getTime();
  const expiresAt = token.expiresAt === undefined ? null : Date.parse(token.expiresAt);
  if (context.lostSecretIds.has(token.id)) {
    return { code: 'secret-lost', reason: 'its string was lost in an interrupted apply' };
  }
  if (expiresAt !== null && expiresAt <= now) {
    return { code: 'expired', reason: `expired at ${toSecondsIso(new Date(expiresAt))}` };
  }
  if (expiryDiffers(desired, token)) {
    return {
      code: 'expiry-changed',
      reason: `expiry changed from ${describeActualExpiry(token)} to ${describeDesiredExpiry(desired)}`,
    };
  }
  if (context.replaceNames.has(desired.name)) {
    return { code: 'replace-requested', reason: 'rotation requested with --replace' };
  }
  const age = now - Date.parse(token.createdAt);
  if (desired.rotateAfter !== null && age >= desired.rotateAfter.ms) {
    return {
      code: 'rotation-due',
      reason: `created ${formatAge(age)} ago; rotateAfter is ${desired.rotateAfter.text}`,
    };
  }
  if (
    expiresAt !== null &&
    context.expiringWithinMs !== null &&
    expiresAt - now <= context.expiringWithinMs &&
    renewalHelps(desired, now, context.expiringWithinMs)
  ) {
    return {
      code: 'expiring-soon',
      reason:
        `expires at ${toSecondsIso(new Date(expiresAt))}, within --expiring-within ${context.expiringWithinText ?? ''}`.trimEnd(),
    };
  }
  return null;
}

/**
 * Whether a new token would outlive the `--expiring-within` window: renewing a token whose
 * manifest expiry is a fixed time inside the window would only make another expiring token.
 */
export function renewalHelps(desired: DesiredToken, now: number, windowMs: number): boolean {
  if (desired.expiry === null) return true;
  if (desired.expiry.kind === 'in') return desired.expiry.duration.ms > windowMs;
  return Date.parse(desired.expiry.at) - now > windowMs;
}

/** Whether the token's expiry differs from the manifest's. */
export function expiryDiffers(desired: DesiredToken, token: DatabaseToken): boolean {
  const { expiry } = desired;
  if (expiry === null || token.expiresAt === undefined) {
    return (expiry === null) !== (token.expiresAt === undefined);
  }
  const expiresAt = Date.parse(token.expiresAt);
  if (expiry.kind === 'at') return Date.parse(expiry.at) !== expiresAt;
  const lifetime = expiresAt - Date.parse(token.createdAt);
  const tolerance = Math.max(5 * 60_000, expiry.duration.ms * 0.001);
  return Math.abs(lifetime - expiry.duration.ms) > tolerance;
}

function describeActualExpiry(token: DatabaseToken): string {
  return token.expiresAt === undefined ? 'never' : toSecondsIso(token.expiresAt);
}

function describeDesiredExpiry(desired: DesiredToken): string {
  const { expiry } = desired;
  if (expiry === null) return 'never';
  if (expiry.kind === 'at') return toSecondsIso(expiry.at);
  return `${expiry.duration.text} after creation`;
}

/** A rough age for people: `61d`, `5h`, `12m`, `30s`. */
export function formatAge(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
  ];
  for (const [size, unit] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return `${Math.max(0, Math.floor(ms / 1000))}s`;
}
