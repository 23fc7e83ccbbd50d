import type { ProbeResult } from '../api/index.js';
import type { ProbeOutcome, TokenVerification } from './types.js';

/** The answer as a short word for tables: `granted`, `denied`, `401`, `no database`, `error`. */
export function observedWord(observed: ProbeResult): string {
  if (typeof observed !== 'string') return 'error';
  if (observed === 'unauthenticated') return '401';
  if (observed === 'missing-database') return 'no database';
  return observed;
}

/**
 * One sentence per wrong answer, each naming the token and the database. A token that
 * answers 401 everywhere gets one line: it is not active yet, or it was revoked.
 */
export function describeMismatches(token: TokenVerification): string[] {
  const wrong = token.probes.filter((probe) => !probe.ok);
  if (wrong.length === 0) return [];
  if (token.probes.every((probe) => probe.observed === 'unauthenticated')) {
    return [`${token.name}: every probe answered 401: not active yet or revoked`];
  }
  return wrong.map((probe) => `${token.name} on ${probe.database}: ${describeProbe(probe)}`);
}

/** Why one probe is wrong, in words. */
export function describeProbe(probe: ProbeOutcome): string {
  const { observed, action } = probe;
  if (typeof observed !== 'string') return `${action} probe failed: ${observed.error}`;
  switch (observed) {
    case 'unauthenticated':
      return `${action} answered 401: not active yet or revoked`;
    case 'missing-database':
      return `the database does not exist (404), but the manifest grants ${action} on it`;
    case 'granted':
      return `can ${action}, but the manifest does not grant it`;
    case 'denied':
      return `cannot ${action} (403), but the manifest grants it`;
  }
}
