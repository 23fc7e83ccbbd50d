import { describe, expect, it } from 'vitest';
import { findPlanDifference } from '../../src/plan/compare-plans.js';
import type { PlannedChange } from '../../src/plan/types.js';

const replace: PlannedChange = {
  name: 'grafana',
  team: 'obs',
  action: 'replace',
  actions: ['create', 'delete'],
  reasonCode: 'rotation-due',
  reason: 'older than rotateAfter 60d',
  before: {
    id: '6f1c1a52-3a43-4c1e-9a57-2b1d6c0d8e11',
    description: 'Grafana [provision:grafana]',
    permissions: [
      { action: 'read', resource: 'metrics' },
      { action: 'read', resource: 'logs' },
    ],
    createdAt: '2026-01-01T00:00:00.000Z',
  },
  after: {
    description: 'Grafana [provision:grafana]',
    permissions: [
      { action: 'read', resource: 'logs' },
      { action: 'read', resource: 'metrics' },
    ],
  },
  retireAt: '2026-12-09T00:00:00.000Z',
};

const edit = (fields: Partial<PlannedChange>): PlannedChange => ({ ...replace, ...fields });

describe('findPlanDifference', () => {
  it.each<[string, PlannedChange[], string | null]>([
    ['the same changes', [replace], null],
    [
      'another reason text and a later retire time',
      [edit({ reason: 'x', retireAt: '2027-01-01T00:00:00Z' })],
      null,
    ],
    [
      'permissions in another order',
      [
        edit({
          before: { ...replace.before!, permissions: [...replace.before!.permissions].reverse() },
        }),
      ],
      null,
    ],
    [
      'another action',
      [edit({ action: 'revoke' })],
      'change 1 ("grafana"): the action is "revoke" in the saved plan, "replace" in a fresh plan',
    ],
    [
      'another token',
      [edit({ before: { ...replace.before!, id: '00000000-0000-4000-8000-000000000000' } })],
      'change 1 ("grafana"): the token acted on is "00000000-0000-4000-8000-000000000000" in the saved plan, "6f1c1a52-3a43-4c1e-9a57-2b1d6c0d8e11" in a fresh plan',
    ],
    [
      'wider permissions',
      [edit({ after: { ...replace.after!, permissions: [{ action: 'write', resource: '*' }] } })],
      'change 1 ("grafana"): the saved plan grants other permissions than a fresh plan',
    ],
    [
      'no overlap',
      [(({ retireAt: _dropped, ...rest }) => rest)(replace)],
      'change 1 ("grafana"): a fresh plan keeps the old token for its overlap, the saved plan does not',
    ],
    [
      'a missing change',
      [],
      'change 1: only a fresh plan has replace "grafana" (the saved plan has 0 changes, a fresh plan 1)',
    ],
    [
      'an extra change',
      [replace, edit({ name: 'x', action: 'revoke' })],
      'change 2: only the saved plan has revoke "x" (the saved plan has 2 changes, a fresh plan 1)',
    ],
    [
      'another PATCH body',
      [edit({ patch: { description: 'x' } })],
      'change 1 ("grafana"): the saved plan sends another update (PATCH) body than a fresh plan',
    ],
  ])('%s', (_label, saved, expected) => {
    expect(findPlanDifference(saved, [replace])).toBe(expected);
  });
});
