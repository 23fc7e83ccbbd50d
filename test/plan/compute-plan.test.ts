import { describe, expect, it } from 'vitest';
import type { DatabaseToken } from '../../src/model/index.js';
import type { DesiredToken } from '../../src/manifest/types.js';
import type { PlanInput, PlanResult } from '../../src/plan/types.js';
import { actual, DAY, desired, duration, NOW, perm, plan } from './builders.js';
import { describeWarning } from '../../src/cli/reporters/describe-warning.js';

interface Case {
  title: string;
  desired: DesiredToken[];
  actual: DatabaseToken[];
  options?: Partial<PlanInput['options']>;
  /** `name action reasonCode`, in plan order. */
  changes: string[];
  problems?: string[];
  /** The warnings as the text reporter words them. */
  warnings?: string[];
  check?: (result: PlanResult) => void;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const ago = (days: number): string => iso(NOW.getTime() - days * DAY);
const ahead = (days: number): string => iso(NOW.getTime() + days * DAY);
const old = actual('old-name', { human: 'ingest token' });
const dupOld = actual('ingest', { createdAt: ago(30) });
const dupNew = actual('ingest', { createdAt: ago(1) });
const dupSameTimeA = actual('ingest', {
  id: 'aaaaaaaa-0000-4000-8000-000000000001',
  createdAt: ago(1),
});
const dupSameTimeB = actual('ingest', {
  id: 'bbbbbbbb-0000-4000-8000-000000000001',
  createdAt: ago(1),
});
const unmanaged = actual(null, { permissions: ['write:*'] });
const lost = actual('ingest');

const cases: Case[] = [
  {
    title: 'creates a token the cluster lacks (missing)',
    desired: [desired('ingest')],
    actual: [],
    changes: ['ingest create missing'],
    check: ({ plan }) => {
      const [change] = plan.changes;
      expect(change?.before).toBeNull();
      expect(change?.after).toEqual({
        description: 'ingest token [provision:ingest]',
        permissions: [perm('read:metrics')],
      });
      expect(change?.source).toEqual({ file: 'tokens.yaml', line: 10, column: 5 });
    },
  },
  {
    title: 'creates again a token revoked outside provision (revoked-elsewhere)',
    desired: [desired('ingest')],
    actual: [actual('ingest', { revokedAt: ago(2) })],
    changes: ['ingest create revoked-elsewhere'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.reason).toBe('revoked outside provision; creating it again');
    },
  },
  {
    title: 'ignores a revoked token next to a live one',
    desired: [desired('ingest')],
    actual: [actual('ingest', { revokedAt: ago(2) }), actual('ingest')],
    changes: ['ingest no-op unchanged'],
  },
  {
    title: 'keeps a matching token (no-op) and says so in the JSON',
    desired: [desired('ingest', { permissions: ['read:metrics', 'write:metrics'] })],
    actual: [actual('ingest', { permissions: ['read:metrics', 'write:metrics'] })],
    changes: ['ingest no-op unchanged'],
    check: ({ plan }) => {
      expect(plan.summary).toMatchObject({ noop: 1, create: 0 });
    },
  },
  {
    title: 'set-equal permissions in another order, with duplicates, make no diff',
    desired: [desired('ingest', { permissions: ['read:logs', 'read:metrics', 'write:metrics'] })],
    actual: [
      actual('ingest', {
        permissions: ['write:metrics', 'read:metrics', 'read:logs', 'read:metrics'],
      }),
    ],
    changes: ['ingest no-op unchanged'],
  },
  {
    title: 'a named database next to * for the same action makes no diff',
    desired: [desired('ingest', { permissions: ['read:*'] })],
    actual: [actual('ingest', { permissions: ['read:metrics', 'read:*'] })],
    changes: ['ingest no-op unchanged'],
  },
  {
    title: 'updates changed permissions with a PATCH of just the permissions',
    desired: [desired('ingest', { permissions: ['read:metrics', 'write:events'] })],
    actual: [actual('ingest', { permissions: ['read:metrics', 'read:logs'] })],
    changes: ['ingest update permissions-changed'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.patch).toEqual({
        permissions: [perm('read:metrics'), perm('write:events')],
      });
      expect(plan.changes[0]?.actions).toEqual(['update']);
    },
  },
  {
    title: 'updates a changed description with a PATCH of just the description',
    desired: [desired('ingest', { description: 'Ingest for payments' })],
    actual: [actual('ingest', { human: 'Ingest' })],
    changes: ['ingest update description-changed'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.patch).toEqual({
        description: 'Ingest for payments [provision:ingest]',
      });
    },
  },
  {
    title: 'renames via previousNames with a PATCH, never revoke + create',
    desired: [desired('ingest', { description: 'ingest token', previousNames: ['old-name'] })],
    actual: [old],
    changes: ['ingest update renamed'],
    check: ({ plan }) => {
      const [change] = plan.changes;
      expect(change?.before?.id).toBe(old.id);
      expect(change?.patch).toEqual({ description: 'ingest token [provision:ingest]' });
      expect(change?.reason).toBe('renamed from old-name');
    },
  },
  {
    title: 'a rename that also changes permissions patches both',
    desired: [
      desired('ingest', {
        description: 'ingest token',
        previousNames: ['old-name'],
        permissions: ['write:metrics'],
      }),
    ],
    actual: [old],
    changes: ['ingest update renamed'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.patch).toEqual({
        description: 'ingest token [provision:ingest]',
        permissions: [perm('write:metrics')],
      });
      expect(plan.changes[0]?.reason).toBe('renamed from old-name; permissions changed');
    },
  },
  {
    title: 'replaces when the absolute expiry differs (expiry-changed)',
    desired: [desired('ingest', { expiry: { kind: 'at', at: '2027-01-01T00:00:00Z' } })],
    actual: [actual('ingest', { expiresAt: '2026-12-01T00:00:00Z' })],
    changes: ['ingest replace expiry-changed'],
    check: ({ plan }) => {
      const [change] = plan.changes;
      expect(change?.actions).toEqual(['create', 'delete']);
      expect(change?.reason).toBe(
        'expiry changed from 2026-12-01T00:00:00Z to 2027-01-01T00:00:00Z',
      );
      expect(change?.after?.expiresAt).toBe('2027-01-01T00:00:00Z');
      expect(change?.retireAt).toBeUndefined();
    },
  },
  {
    title: 'the same instant written in another offset is no diff',
    desired: [desired('ingest', { expiry: { kind: 'at', at: '2027-01-01T02:00:00+02:00' } })],
    actual: [actual('ingest', { expiresAt: '2027-01-01T00:00:00.000Z' })],
    changes: ['ingest no-op unchanged'],
  },
  {
    title: 'replaces a never-expiring token when the manifest now wants an expiry',
    desired: [desired('ingest', { expiry: { kind: 'in', duration: duration('90d') } })],
    actual: [actual('ingest')],
    changes: ['ingest replace expiry-changed'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.reason).toBe('expiry changed from never to 90d after creation');
      expect(plan.changes[0]?.after?.expiresIn).toEqual({ text: '90d', ms: 90 * DAY });
    },
  },
  {
    title: 'replaces an expiring token when the manifest wants none',
    desired: [desired('ingest')],
    actual: [actual('ingest', { expiresAt: ahead(100) })],
    changes: ['ingest replace expiry-changed'],
  },
  {
    title: 'a relative expiry within tolerance of the lifetime is no diff',
    desired: [desired('ingest', { expiry: { kind: 'in', duration: duration('90d') } })],
    actual: [
      actual('ingest', {
        createdAt: '2026-05-01T00:00:00Z',
        expiresAt: iso(Date.parse('2026-05-01T00:00:04Z') + 90 * DAY),
      }),
    ],
    changes: ['ingest no-op unchanged'],
  },
  {
    title: 'a relative expiry of another length is a replace',
    desired: [desired('ingest', { expiry: { kind: 'in', duration: duration('90d') } })],
    actual: [
      actual('ingest', {
        createdAt: '2026-05-01T00:00:00Z',
        expiresAt: iso(Date.parse('2026-05-01T00:00:00Z') + 60 * DAY),
      }),
    ],
    changes: ['ingest replace expiry-changed'],
  },
  {
    title: 'replaces an expired token (expired), even with its expiry unchanged',
    desired: [desired('ingest', { expiry: { kind: 'in', duration: duration('30d') } })],
    actual: [actual('ingest', { createdAt: ago(31), expiresAt: ago(1) })],
    changes: ['ingest replace expired'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.reason).toBe(`expired at ${ago(1)}`);
    },
  },
  {
    title: 'replaces a token older than rotateAfter (rotation-due)',
    desired: [desired('ingest', { rotateAfter: duration('60d') })],
    actual: [actual('ingest', { createdAt: ago(61) })],
    changes: ['ingest replace rotation-due'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.reason).toBe('created 61d ago; rotateAfter is 60d');
    },
  },
  {
    title: 'a token younger than rotateAfter stays',
    desired: [desired('ingest', { rotateAfter: duration('60d') })],
    actual: [actual('ingest', { createdAt: ago(59) })],
    changes: ['ingest no-op unchanged'],
  },
  {
    title: 'replaces on --replace NAME (replace-requested)',
    desired: [desired('ingest'), desired('query')],
    actual: [actual('ingest'), actual('query')],
    options: { replace: ['ingest'] },
    changes: ['ingest replace replace-requested', 'query no-op unchanged'],
  },
  {
    title: 'replaces tokens expiring within --expiring-within (expiring-soon)',
    desired: [
      desired('ingest', { expiry: { kind: 'in', duration: duration('30d') } }),
      desired('query', { expiry: { kind: 'in', duration: duration('30d') } }),
    ],
    actual: [
      actual('ingest', { createdAt: ago(25), expiresAt: ahead(5) }),
      actual('query', { createdAt: ago(10), expiresAt: ahead(20) }),
    ],
    options: { expiringWithin: duration('7d') },
    changes: ['ingest replace expiring-soon', 'query no-op unchanged'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.reason).toBe(`expires at ${ahead(5)}, within --expiring-within 7d`);
    },
  },
  {
    title: 'does not renew a fixed expiry that is itself inside the window',
    desired: [desired('ingest', { expiry: { kind: 'at', at: ahead(5) } })],
    actual: [actual('ingest', { expiresAt: ahead(5) })],
    options: { expiringWithin: duration('7d') },
    changes: ['ingest no-op unchanged'],
  },
  {
    title: 'replaces a token whose string was lost (secret-lost), revoking the old at once',
    desired: [desired('ingest', { overlap: duration('7d') })],
    actual: [lost],
    options: { lostSecretIds: [lost.id] },
    changes: ['ingest replace secret-lost'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.reason).toBe('its string was lost in an interrupted apply');
      expect(plan.changes[0]?.retireAt).toBeUndefined();
    },
  },
  {
    title: 'a replace with overlap keeps the old token until now + overlap',
    desired: [desired('ingest', { overlap: duration('7d'), rotateAfter: duration('60d') })],
    actual: [actual('ingest', { createdAt: ago(61) })],
    changes: ['ingest replace rotation-due'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.retireAt).toBe('2026-06-08T00:00:00Z');
    },
  },
  {
    title: 'an expired token is revoked at once despite overlap',
    desired: [desired('ingest', { overlap: duration('7d') })],
    actual: [actual('ingest', { expiresAt: ago(1) })],
    changes: ['ingest replace expired'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.retireAt).toBeUndefined();
    },
  },
  {
    title: 'a replace carries description and permission changes in after',
    desired: [desired('ingest', { description: 'new text', permissions: ['write:logs'] })],
    actual: [actual('ingest', { human: 'old text' })],
    options: { replace: ['ingest'] },
    changes: ['ingest replace replace-requested'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.after).toEqual({
        description: 'new text [provision:ingest]',
        permissions: [perm('write:logs')],
      });
      expect(plan.changes[0]?.reason).toBe(
        'rotation requested with --replace; also description changed, permissions changed',
      );
      expect(plan.changes[0]?.patch).toBeUndefined();
    },
  },
  {
    title: 'protect turns a replace into a problem at the token',
    desired: [
      desired('ingest', { protect: true, source: { file: 'tokens.yaml', line: 30, column: 7 } }),
    ],
    actual: [actual('ingest', { expiresAt: ago(1) })],
    changes: [],
    problems: [
      `tokens.yaml:30:7 token "ingest" is protected (protect: true) but the plan would replace it: expired at ${ago(1)}; remove protect: true to allow it, or undo the change that causes it`,
    ],
  },
  {
    title: 'protect lets updates through',
    desired: [desired('ingest', { protect: true, permissions: ['write:metrics'] })],
    actual: [actual('ingest')],
    changes: ['ingest update permissions-changed'],
  },
  {
    title: 'duplicates: keeps the newest, revokes the rest, without --prune',
    desired: [desired('ingest')],
    actual: [dupOld, dupNew, actual('ingest', { createdAt: ago(10) })],
    // Within one name, changes follow the live token's id: here, creation order.
    changes: ['ingest revoke duplicate', 'ingest no-op unchanged', 'ingest revoke duplicate'],
    check: ({ plan }) => {
      const kept = plan.changes.find((c) => c.action === 'no-op');
      expect(kept?.before?.id).toBe(dupNew.id);
      expect(
        plan.changes.filter((c) => c.action === 'revoke').map((c) => c.before?.id),
      ).not.toContain(dupNew.id);
      expect(plan.changes[0]?.reason).toBe(
        '3 tokens claim name ingest; keeping the newest, revoking 2',
      );
    },
  },
  {
    title: 'duplicates created at the same time: the higher id is kept',
    desired: [desired('ingest')],
    actual: [dupSameTimeA, dupSameTimeB],
    changes: ['ingest revoke duplicate', 'ingest no-op unchanged'],
    check: ({ plan }) => {
      expect(plan.changes[1]?.before?.id).toBe(dupSameTimeB.id);
    },
  },
  {
    title: 'protect turns duplicate revokes into a problem',
    desired: [desired('ingest', { protect: true })],
    actual: [actual('ingest'), actual('ingest', { createdAt: ago(2) })],
    changes: ['ingest no-op unchanged'],
    problems: [
      'tokens.yaml:10:5 token "ingest" is protected (protect: true) but 2 tokens claim its name and the plan would revoke 1; revoke the extra tokens by hand, or remove protect: true',
    ],
  },
  {
    title: 'duplicates of an undeclared name are revoked even without --prune',
    desired: [],
    actual: [actual('gone', { createdAt: ago(3) }), actual('gone', { createdAt: ago(2) })],
    changes: ['gone revoke duplicate'],
    warnings: [
      '1 managed token is no longer in the manifest; run with --prune to revoke them: gone',
    ],
  },
  {
    title: 'unmanaged tokens are listed, never changed, even with --prune',
    desired: [desired('ingest')],
    actual: [unmanaged, actual(null, { description: 'almost [provision:Bad]' }), actual('ingest')],
    options: { prune: true },
    changes: ['ingest no-op unchanged'],
    check: ({ plan }) => {
      expect(plan.unmanaged.map((t) => t.description)).toContain('hand-made token');
      expect(plan.unmanaged).toHaveLength(2);
      expect(plan.summary.unmanaged).toBe(2);
    },
  },
  {
    title: 'undeclared managed tokens: a warning without --prune',
    desired: [desired('ingest')],
    actual: [actual('ingest'), actual('b-gone'), actual('a-gone')],
    changes: ['ingest no-op unchanged'],
    warnings: [
      '2 managed tokens are no longer in the manifest; run with --prune to revoke them: a-gone, b-gone',
    ],
    check: ({ plan }) => {
      // Data, not words: a JSON reader gets the code and the names.
      expect(plan.warnings).toEqual([{ code: 'not-declared', names: ['a-gone', 'b-gone'] }]);
    },
  },
  {
    title: 'undeclared managed tokens: revoked with --prune (not-declared)',
    desired: [desired('ingest')],
    actual: [actual('ingest'), actual('gone')],
    options: { prune: true },
    changes: ['gone revoke not-declared', 'ingest no-op unchanged'],
    check: ({ plan }) => {
      expect(plan.changes[0]?.actions).toEqual(['delete']);
      expect(plan.changes[0]?.after).toBeNull();
      expect(plan.warnings).toEqual([]);
    },
  },
  {
    title: 'a retiring token past its retire time is revoked, even without --prune',
    desired: [desired('ingest')],
    actual: [
      actual('ingest'),
      actual(null, { description: 'ingest token [provision:ingest retire=2026-05-30T00:00:00Z]' }),
    ],
    changes: ['ingest no-op unchanged', 'ingest revoke overlap-ended'],
    check: ({ plan }) => {
      expect(plan.changes[1]?.reason).toBe('overlap ended at 2026-05-30T00:00:00Z');
    },
  },
  {
    title: 'a retiring token inside its overlap is listed, not touched',
    desired: [desired('ingest')],
    actual: [
      actual('ingest'),
      actual(null, { id: 'r', description: '[provision:ingest retire=2026-06-03T00:00:00Z]' }),
    ],
    changes: ['ingest no-op unchanged'],
    check: ({ plan }) => {
      expect(plan.retiring).toEqual([
        { name: 'ingest', id: 'r', retireAt: '2026-06-03T00:00:00Z' },
      ]);
      expect(plan.summary.retiring).toBe(1);
    },
  },
  {
    title: '--only NAME limits desired and actual to the selection',
    desired: [
      desired('ingest', { permissions: ['write:metrics'] }),
      desired('query', { permissions: ['write:metrics'] }),
    ],
    actual: [actual('ingest'), actual('query'), actual('gone')],
    options: { only: ['ingest'], prune: true },
    changes: ['ingest update permissions-changed'],
    warnings: ['--only: checking 1 of 2 declared tokens; the rest is not checked'],
  },
  {
    title: '--only team:TEAM selects that team’s tokens',
    desired: [desired('a-ingest', { team: 'a' }), desired('b-ingest', { team: 'b' })],
    actual: [],
    options: { only: ['team:b'] },
    changes: ['b-ingest create missing'],
  },
  {
    title: '--only may name an undeclared cluster token',
    desired: [desired('ingest')],
    actual: [actual('gone'), actual('other')],
    options: { only: ['gone'], prune: true },
    changes: ['gone revoke not-declared'],
  },
  {
    title: '--only with an unknown name or team is a problem with a suggestion',
    desired: [desired('ingest', { team: 'payments' })],
    actual: [],
    options: { only: ['ingset', 'team:paymets'] },
    changes: [],
    problems: [
      '--only ingset: no token "ingset" in the manifest or the cluster; did you mean "ingest"?',
      '--only team:paymets: no team "paymets" in the manifest; did you mean "payments"?',
    ],
  },
  {
    title: 'an unknown --replace name is a problem with a suggestion',
    desired: [desired('ingest')],
    actual: [actual('ingest')],
    options: { replace: ['ingets'] },
    changes: ['ingest no-op unchanged'],
    problems: ['--replace ingets: no token "ingets" in the manifest; did you mean "ingest"?'],
  },
  {
    title: 'an unknown database is a problem where the manifest names it',
    desired: [
      desired('ingest', {
        permissions: ['read:metrix'],
        databases: [{ file: 't.yaml', line: 4, column: 11, database: 'metrix' }],
      }),
    ],
    actual: [],
    changes: ['ingest create missing'],
    problems: [
      't.yaml:4:11 database "metrix" does not exist in the cluster (named by token "ingest"); did you mean "metrics"?',
    ],
  },
  {
    title: '--allow-missing-databases downgrades unknown databases to warnings',
    desired: [
      desired('ingest', {
        permissions: ['read:later'],
        databases: [{ file: 't.yaml', line: 4, column: 11, database: 'later' }],
      }),
    ],
    actual: [],
    options: { allowMissingDatabases: true },
    changes: ['ingest create missing'],
    warnings: ['database "later" does not exist yet (named by token "ingest" at t.yaml:4:11)'],
  },
  {
    title: 'an expiry in the past is a problem',
    desired: [desired('ingest', { expiry: { kind: 'at', at: '2026-01-01T00:00:00Z' } })],
    actual: [],
    changes: ['ingest create missing'],
    problems: [
      'tokens.yaml:10:5 token "ingest" expires at 2026-01-01T00:00:00Z, which has passed; set a later expiry, or a relative one such as 90d',
    ],
  },
  {
    title: 'orders changes by team (ungrouped first), then name',
    desired: [
      desired('z', { team: 'b' }),
      desired('y', { team: 'a' }),
      desired('x', { team: null }),
      desired('w', { team: 'a' }),
    ],
    actual: [],
    changes: ['x create missing', 'w create missing', 'y create missing', 'z create missing'],
  },
];

function describeProblem(problem: PlanResult['problems'][number]): string {
  const where =
    problem.source === undefined
      ? ''
      : `${problem.source.file}:${problem.source.line}:${problem.source.column} `;
  return `${where}${problem.message}${problem.hint === undefined ? '' : `; ${problem.hint}`}`;
}

describe('computePlan', () => {
  it.each(cases)('$title', (testCase) => {
    const result = plan(testCase.desired, testCase.actual, testCase.options);
    expect(result.plan.changes.map((c) => `${c.name} ${c.action} ${c.reasonCode}`)).toEqual(
      testCase.changes,
    );
    expect(result.problems.map(describeProblem)).toEqual(testCase.problems ?? []);
    // The planner returns warnings as data; the words are the reporter's (describeWarning).
    if (testCase.warnings !== undefined) {
      expect(result.plan.warnings.map(describeWarning)).toEqual(testCase.warnings);
    }
    testCase.check?.(result);
  });

  it('maps every action to its Terraform-style actions and counts it in the summary', () => {
    const { plan: result } = plan(
      [desired('a'), desired('b', { permissions: ['write:logs'] }), desired('c'), desired('d')],
      [actual('b'), actual('c', { expiresAt: ago(1) }), actual('d'), actual('e')],
      { prune: true },
    );
    expect(result.changes.map((c) => [c.name, c.action, c.actions])).toEqual([
      ['a', 'create', ['create']],
      ['b', 'update', ['update']],
      ['c', 'replace', ['create', 'delete']],
      ['d', 'no-op', ['no-op']],
      ['e', 'revoke', ['delete']],
    ]);
    expect(result.summary).toEqual({
      create: 1,
      update: 1,
      replace: 1,
      revoke: 1,
      noop: 1,
      unmanaged: 0,
      retiring: 0,
      // The cluster's four databases are not declared: counted, never touched.
      databases: { create: 0, update: 0, noop: 0, unmanaged: 4 },
    });
  });

  it('records the inputs it was made from', () => {
    const { plan: result } = plan([], [], {
      prune: true,
      lostSecretIds: ['x'],
      allowMissingDatabases: true,
    });
    expect(result.formatVersion).toBe(1);
    expect(result.createdAt).toBe('2026-06-01T00:00:00.000Z');
    expect(result.options).toEqual({
      prune: true,
      replace: [],
      only: [],
      expiringWithin: null,
      allowMissingDatabases: true,
    });
    expect(result.cluster.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never lists an unmanaged token among the changes', () => {
    const tokens = [unmanaged, actual(null, { description: 'x [provision:a] trailing' })];
    const { plan: result } = plan([desired('a')], tokens, { prune: true, replace: ['a'] });
    const ids = new Set(result.changes.map((c) => c.before?.id));
    for (const token of tokens) expect(ids.has(token.id)).toBe(false);
  });
});
