import type { DeliveryTarget } from '../model/index.js';
import type { Locate } from './locate-node.js';
import { parseDuration } from './parse-duration.js';
import type { DeliveryTargetSpec } from './types.js';

/** A delivery's deadline when the target sets none, and the most it may set. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 60_000;
export const MAX_DELIVERY_TIMEOUT_MS = 60 * 60_000;
/** Deliveries to one target at once when it sets no `concurrency`. */
export const DEFAULT_DELIVERY_CONCURRENCY = 4;

/** `outputs.deliver` with its defaults filled in (on a manifest the rules accepted). */
export function buildDeliveryTargets(
  specs: readonly DeliveryTargetSpec[],
  locate: Locate,
): DeliveryTarget[] {
  return specs.map((spec, index) => ({
    name: spec.name,
    command: [...spec.command],
    format: spec.format ?? 'json',
    teams: spec.teams === undefined ? null : [...spec.teams],
    timeoutMs:
      spec.timeout === undefined
        ? DEFAULT_DELIVERY_TIMEOUT_MS
        : (parseDuration(spec.timeout)?.ms ?? DEFAULT_DELIVERY_TIMEOUT_MS),
    concurrency: spec.concurrency ?? DEFAULT_DELIVERY_CONCURRENCY,
    source: locate(['outputs', 'deliver', index, 'command', 0]),
  }));
}
