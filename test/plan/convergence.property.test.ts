import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DatabaseToken, Permission } from '../../src/model/index.js';
import type { DesiredToken } from '../../src/manifest/types.js';
import { parseMarker, withMarker, withRetireMarker } from '../../src/plan/marker.js';
import type { Plan, PlanInput } from '../../src/plan/types.js';
import {
  ACCOUNT,
  CLUSTER,
  DAY,
  duration,
  desired as makeDesired,
  NOW,
  plan as makePlan,
} from './builders.js';

const NAMES = ['a', 'b', 'c', 'd', 'e'];
const OLD_NAMES = ['old-a', 'old-b', 'gone'];
const DATABASES = ['metrics', 'logs', 'events'];
const PERMISSIONS: Permission[] = ['read', 'write'].flatMap((action) =>
  [...DATABASES, '*'].map((resource) => ({ action: action as Permission['action'], resource })),
);
const permissionList = fc.array(fc.constantFrom(...PERMISSIONS), { maxLength: 5 });
const durationOf = (days: number) => ({ text: `${days}d`, ms: days * DAY });
const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const desiredArbitrary = fc
  .uniqueArray(
    fc.record({
      name: fc.constantFrom(...NAMES),
      human: fc.constantFrom('', 'ingest', 'query [provision:x]'),
      permissions: permissionList,
      expiry: fc.oneof(
        fc.constant(null),
        fc
          .integer({ min: 10, max: 400 })
          .map((days) => ({ kind: 'at' as const, at: at(NOW.getTime() + days * DAY) })),
        fc
          .constantFrom(30, 90)
          .map((days) => ({ kind: 'in' as const, duration: durationOf(days) })),
      ),
      rotateAfter: fc.option(fc.constant(durationOf(30)), { nil: null }),
      overlap: fc.option(fc.constant(durationOf(7)), { nil: null }),
      protect: fc.oneof(
        { weight: 5, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
      previousNames: fc.subarray(OLD_NAMES.slice(0, 2), { maxLength: 1 }),
      team: fc.constantFrom(null, 'payments', 'search'),
    }),
    { selector: (token) => token.name, maxLength: 5 },
  )
  .map((tokens) => {
    // A manifest never gives one previous name to two tokens (the validator forbids it).
    const used = new Set<string>();
    return tokens.map(({ human, ...token }): DesiredToken => {
      const previousNames = token.previousNames.filter((name) => !used.has(name));
      for (const name of previousNames) used.add(name);
      return {
        ...makeDesired(token.name),
        ...token,
        description: human,
        previousNames,
        databases: [],
      };
    });
  });

const actualArbitrary = fc.array(
  fc.record({
    kind: fc.constantFrom('current', 'current', 'current', 'unmanaged', 'retiring'),
    name: fc.constantFrom(...NAMES, ...OLD_NAMES),
    human: fc.constantFrom('', 'ingest', 'old text'),
    permissions: permissionList,
    createdDaysAgo: fc.integer({ min: 0, max: 120 }),
    expiresInDays: fc.option(fc.integer({ min: -30, max: 400 }), { nil: null }),
    retireInDays: fc.integer({ min: -5, max: 5 }),
    revoked: fc.oneof(
      { weight: 3, arbitrary: fc.constant(false) },
      { weight: 1, arbitrary: fc.constant(true) },
    ),
  }),
  { maxLength: 12 },
);

const optionsArbitrary = fc.record({
  prune: fc.boolean(),
  replace: fc.subarray(NAMES, { maxLength: 2 }),
  only: fc.oneof(
    { weight: 4, arbitrary: fc.constant([] as string[]) },
    { weight: 1, arbitrary: fc.subarray(NAMES, { minLength: 1, maxLength: 2 }) },
  ),
  expiringWithin: fc.constantFrom(null, duration('7d'), duration('60d')),
});

let sequence = 0;

function toToken(spec: {
  kind: string;
  name: string;
  human: string;
  permissions: Permission[];
  createdDaysAgo: number;
  expiresInDays: number | null;
  retireInDays: number;
  revoked: boolean;
}): DatabaseToken {
  sequence++;
  const description =
    spec.kind === 'unmanaged'
      ? `hand-made ${spec.human}`
      : spec.kind === 'retiring'
        ? withRetireMarker(
            spec.human,
            spec.name,
            new Date(NOW.getTime() + spec.retireInDays * DAY + 1000),
          )
        : withMarker(spec.human, spec.name);
  const token: DatabaseToken = {
    accountId: ACCOUNT,
    clusterId: CLUSTER,
    id: `${String(sequence).padStart(8, '0')}-0000-4000-8000-000000000000`,
    description,
    permissions: spec.permissions,
    createdAt: at(NOW.getTime() - spec.createdDaysAgo * DAY),
  };
  if (spec.expiresInDays !== null) token.expiresAt = at(NOW.getTime() + spec.expiresInDays * DAY);
  if (spec.revoked) token.revokedAt = at(NOW.getTime() - DAY);
  return token;
}

/** What apply does, on a map of tokens: the model the plan must converge under. */
function applyToModel(plan: Plan, tokens: DatabaseToken[], now: Date): DatabaseToken[] {
  const byId = new Map(tokens.map((token) => [token.id, { ...token }]));
  const create = (after: NonNullable<Plan['changes'][number]['after']>): void => {
    sequence++;
    const id = `${String(sequence).padStart(8, '0')}-1111-4000-8000-000000000000`;
    const token: DatabaseToken = {
      accountId: ACCOUNT,
      clusterId: CLUSTER,
      id,
      description: after.description,
      permissions: after.permissions,
      createdAt: now.toISOString(),
    };
    if (after.expiresAt !== undefined) token.expiresAt = after.expiresAt;
    if (after.expiresIn !== undefined)
      token.expiresAt = new Date(now.getTime() + after.expiresIn.ms).toISOString();
    byId.set(id, token);
  };
  const revoke = (id: string): void => {
    byId.get(id)!.revokedAt = now.toISOString();
  };
  for (const change of plan.changes) {
    if (change.action === 'create') create(change.after!);
    if (change.action === 'revoke') revoke(change.before!.id);
    if (change.action === 'update') Object.assign(byId.get(change.before!.id)!, change.patch);
    if (change.action === 'replace') {
      create(change.after!);
      const old = byId.get(change.before!.id)!;
      if (change.retireAt === undefined) revoke(old.id);
      else
        old.description = withRetireMarker(
          parseMarker(old.description)!.human,
          change.name,
          change.retireAt,
        );
    }
  }
  return [...byId.values()];
}

function unmanagedIdsIn(plan: Plan, tokens: DatabaseToken[]): string[] {
  const unmanaged = new Set(
    tokens.filter((token) => parseMarker(token.description) === null).map((t) => t.id),
  );
  return plan.changes.flatMap((change) =>
    change.before !== null && unmanaged.has(change.before.id) ? [change.before.id] : [],
  );
}

describe('computePlan converges', () => {
  it('applying a plan to a model of the cluster, then planning again, changes nothing', () => {
    fc.assert(
      fc.property(desiredArbitrary, actualArbitrary, optionsArbitrary, (desired, specs, flags) => {
        const before = specs.map(toToken);
        // --replace and --only name declared tokens here; unknown names are tested elsewhere.
        const declared = new Set(desired.map((token) => token.name));
        const options = {
          ...flags,
          replace: flags.replace.filter((n) => declared.has(n)),
          only: flags.only.filter((n) => declared.has(n)),
        };
        const first = makePlan(desired, before, options, DATABASES);
        expect(unmanagedIdsIn(first.plan, before)).toEqual([]);
        // Only protect can stop a plan here; such a plan is never applied.
        for (const problem of first.problems) expect(problem.message).toMatch(/protected/);
        fc.pre(first.problems.length === 0);

        const after = applyToModel(first.plan, before, NOW);
        const second = makePlan(
          desired,
          after,
          { ...options, replace: [] } satisfies Partial<PlanInput['options']>,
          DATABASES,
        );
        expect(second.problems).toEqual([]);
        expect(unmanagedIdsIn(second.plan, after)).toEqual([]);
        const left = second.plan.changes.filter((change) => change.action !== 'no-op');
        expect(left.map((change) => `${change.name} ${change.action} ${change.reason}`)).toEqual(
          [],
        );
      }),
      { numRuns: 400 },
    );
  });
});
