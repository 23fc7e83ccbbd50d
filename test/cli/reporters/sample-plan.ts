import type { Plan } from '../../../src/plan/types.js';
import { actual, DAY, desired, duration, perm, plan } from '../../plan/builders.js';

/** One plan with every kind of change, for the reporters' tests. */
export function samplePlan(): Plan {
  return plan(
    [
      desired('ingest', {
        expiry: { kind: 'in', duration: duration('90d') },
        permissions: ['write:metrics', 'write:events'],
      }),
      desired('pay-read', {
        team: 'payments',
        previousNames: ['pay-reader'],
        description: 'Payments | readers',
        permissions: ['read:logs'],
      }),
      desired('pay-write', {
        team: 'payments',
        overlap: duration('7d'),
        rotateAfter: duration('30d'),
      }),
      desired('same'),
    ],
    [
      actual('pay-reader', {
        id: 'id-1',
        human: 'Payments readers',
        permissions: ['read:metrics'],
      }),
      actual('pay-write', {
        id: 'id-2',
        createdAt: new Date(Date.parse('2026-06-01T00:00:00Z') - 31 * DAY).toISOString(),
      }),
      actual('same', { id: 'id-3' }),
      actual('gone', { id: 'id-4', human: 'old "quoted"\u001b[31m' }),
      actual(null, { id: 'id-5', description: 'hand-made <b>token</b>' }),
      actual(null, { id: 'id-6', description: '[provision:same retire=2026-06-05T00:00:00Z]' }),
    ],
    { prune: true },
  ).plan;
}

export { perm };
