import { describe, expect, it } from 'vitest';
import { checkMassRevoke, describeMassRevoke } from '../../src/plan/check-mass-revoke.js';
import { actual, desired, plan } from '../plan/builders.js';

const names = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('checkMassRevoke', () => {
  it('refuses more than half of the managed tokens and more than five', () => {
    const live = names(10).map((name) => actual(name));
    const keep = names(4).map((name) => desired(name));
    const refusal = checkMassRevoke(plan(keep, live, { prune: true }).plan, null);
    expect(refusal).toEqual({ code: 'mass-revoke', destructive: 6, managed: 10, maxRevokes: null });
    expect(refusal && describeMassRevoke(refusal)).toBe(
      'the plan would revoke or replace 6 of 10 managed tokens, more than half of them',
    );
    const half = names(5).map((name) => desired(name));
    expect(checkMassRevoke(plan(half, live, { prune: true }).plan, null)).toBeNull();
    // Five of six is more than half, but not more than a few.
    const small = names(6).map((name) => actual(name));
    expect(checkMassRevoke(plan([desired('t-0')], small, { prune: true }).plan, null)).toBeNull();
  });

  it('policy.maxRevokes is the limit when set', () => {
    const live = names(10).map((name) => actual(name));
    const keep = names(7).map((name) => desired(name));
    const refusal = checkMassRevoke(plan(keep, live, { prune: true }).plan, 2);
    expect(refusal && describeMassRevoke(refusal)).toBe(
      'the plan would revoke or replace 3 of 10 managed tokens, more than policy.maxRevokes (2)',
    );
    expect(checkMassRevoke(plan(keep, live, { prune: true }).plan, 3)).toBeNull();
  });

  it('does not count replacing tokens whose strings were lost: that is the recovery', () => {
    const live = names(10).map((name) => actual(name));
    const lost = plan(
      names(10).map((name) => desired(name)),
      live,
      { lostSecretIds: live.map((token) => token.id) },
    ).plan;
    expect(lost.summary.replace).toBe(10);
    expect(checkMassRevoke(lost, null)).toBeNull();
    const rotated = plan(
      names(10).map((name) => desired(name)),
      live,
      {
        replace: names(10),
      },
    ).plan;
    expect(checkMassRevoke(rotated, null)?.destructive).toBe(10);
  });
});
