import type { FaultSettings } from './types.js';

/** The fate of one request, decided when it arrives. */
export interface FaultDraw {
  delayMs: number;
  rateLimited: boolean;
  serverError: 500 | 503 | undefined;
  /** Commit, then drop the connection (only applied to mutations). */
  ambiguous: boolean;
}

/**
 * Draws the same five numbers for every request whatever the settings, so one seed gives
 * the same sequence of faults for the same sequence of requests.
 */
export function drawFaults(settings: FaultSettings, random: () => number): FaultDraw {
  const jitter = random();
  const rateLimit = random();
  const error = random();
  const errorKind = random();
  const ambiguous = random();
  return {
    delayMs: settings.latencyMs + jitter * settings.jitterMs,
    rateLimited: rateLimit < settings.rateLimitRate,
    serverError: error < settings.errorRate ? (errorKind < 0.5 ? 500 : 503) : undefined,
    ambiguous: ambiguous < settings.ambiguousRate,
  };
}

/** Every knob off. */
export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  jitterMs: 0,
  maxInflight: 0,
  errorRate: 0,
  rateLimitRate: 0,
  listLagMs: 0,
  ambiguousRate: 0,
  activationDelayMs: 0,
  retryAfterSeconds: 1,
};
