import { describe, expect, it } from 'vitest';
import type { ClusterDatabase } from '../../src/model/index.js';
import type { DesiredDatabase } from '../../src/manifest/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { findDatabaseDifference } from '../../src/plan/compare-database-plans.js';
import { hasChanges } from '../../src/plan/summarise-plan.js';
import type { PlanResult } from '../../src/plan/types.js';
import { ACCOUNT, CLUSTER, NOW, clusterDatabases, desired } from './builders.js';

const DAY_NS = 86_400e9;

function db(
  name: string,
  settings: DesiredDatabase['settings'] = {},
  team: string | null = null,
): DesiredDatabase {
  return { name, team, settings, source: { file: 'tokens.yaml', line: 3, column: 5 } };
}

function planWith(
  databases: DesiredDatabase[],
  cluster: ClusterDatabase[],
  tokens = [desired('reader', { permissions: ['read:metrics'] })],
  only: string[] = [],
): PlanResult {
  return computePlan({
    desired: tokens,
    desiredDatabases: databases,
    actual: [],
    databases: cluster,
    now: NOW,
    options: { prune: false, replace: [], only, expiringWithin: null },
    target: {
      product: 'dedicated',
      url: 'http://127.0.0.1:1/api/v0',
      accountId: ACCOUNT,
      clusterId: CLUSTER,
    },
    manifest: { file: 'tokens.yaml', fingerprint: 'f'.repeat(64) },
  });
}

describe('the database section of a plan', () => {
  it('creates a declared database that is missing, and the token needing it plans without a problem', () => {
    const { plan, problems } = planWith([db('metrics', { retentionPeriod: 30 * DAY_NS })], []);
    expect(problems).toEqual([]);
    expect(plan.databases).toMatchObject([
      {
        name: 'metrics',
        action: 'create',
        actions: ['create'],
        reasonCode: 'missing',
        before: null,
        after: { retentionPeriod: 30 * DAY_NS },
      },
    ]);
    expect(plan.summary.databases).toEqual({ create: 1, update: 0, noop: 0, unmanaged: 0 });
    expect(hasChanges({ ...plan.summary, create: 0 })).toBe(true);
  });

  it('still refuses a token on a database that is neither declared nor in the cluster', () => {
    const { problems } = planWith([db('logs')], []);
    expect(problems.map((p) => p.message)).toEqual([
      'database "metrics" does not exist in the cluster (named by token "reader")',
    ]);
  });

  it.each([
    [
      'retention',
      { retentionPeriod: 30 * DAY_NS },
      { retentionPeriod: 30 * DAY_NS },
      'retention changed from infinite to 30d',
    ],
    ['max tables', { maxTables: 100 }, { maxTables: 100 }, 'maxTables changed from 500 to 100'],
    [
      'max columns',
      { maxColumnsPerTable: 50 },
      { maxColumnsPerTable: 50 },
      'maxColumnsPerTable changed from 200 to 50',
    ],
  ])('updates %s in place with exactly that PATCH body', (_what, settings, patch, reason) => {
    const { plan, problems } = planWith([db('metrics', settings)], clusterDatabases(['metrics']));
    expect(problems).toEqual([]);
    expect(plan.databases).toMatchObject([
      { action: 'update', actions: ['update'], patch, reason },
    ]);
  });

  it('compares only what the manifest declares: a bare name is a no-op whatever the settings', () => {
    const [metrics] = clusterDatabases(['metrics']);
    const custom = { ...metrics!, maxTables: 9, retentionPeriod: DAY_NS };
    const { plan } = planWith([db('metrics')], [custom]);
    expect(plan.databases).toMatchObject([{ action: 'no-op', reasonCode: 'unchanged' }]);
    expect(hasChanges(plan.summary)).toBe(true); // the token is still to be created
    expect(plan.summary.databases.noop).toBe(1);
  });

  it('fails the plan on a partition template change, naming the field and the database', () => {
    const [metrics] = clusterDatabases(['metrics']);
    const { problems } = planWith(
      [db('metrics', { partitionTemplate: [{ type: 'tag', value: 'host' }] })],
      [{ ...metrics!, partitionTemplate: [{ type: 'time', value: '%Y' }] }],
    );
    expect(problems).toEqual([
      {
        message:
          'database "metrics": partitionTemplate cannot be changed in place (the cluster has time "%Y", the manifest says tag "host")',
        hint: 'a partition template is set when a database is created; declare the one it has, or remove partitionTemplate to leave it as it is',
        source: { file: 'tokens.yaml', line: 3, column: 5 },
      },
    ]);
  });

  it('accepts the same partition template, and lists undeclared databases without touching them', () => {
    const [metrics, old] = clusterDatabases(['metrics', 'old']);
    const template = [{ type: 'bucket' as const, value: { tagName: 'h', numberOfBuckets: 4 } }];
    const { plan, problems } = planWith(
      [db('metrics', { partitionTemplate: template })],
      [{ ...metrics!, partitionTemplate: template }, old!],
    );
    expect(problems).toEqual([]);
    expect(plan.databases.map((d) => d.action)).toEqual(['no-op']);
    expect(plan.unmanagedDatabases).toEqual(['old']);
    expect(plan.summary.databases.unmanaged).toBe(1);
  });

  it('with --only, keeps the databases of the selected teams and those the selected tokens need', () => {
    const tokens = [
      desired('a', { permissions: ['read:a_db'] }),
      desired('b', { permissions: ['read:b_db'], team: 'payments' }),
    ];
    const declared = [
      db('a_db'),
      db('b_db', {}, 'payments'),
      db('p_extra', {}, 'payments'),
      db('z'),
    ];
    const byName = planWith(declared, [], tokens, ['a']);
    expect(byName.plan.databases.map((d) => d.name)).toEqual(['a_db']);
    const byTeam = planWith(declared, [], tokens, ['team:payments']);
    expect(byTeam.plan.databases.map((d) => d.name)).toEqual(['b_db', 'p_extra']);
  });

  it('a saved plan commits to its database entries', () => {
    const saved = planWith(
      [db('metrics', { retentionPeriod: DAY_NS })],
      clusterDatabases(['metrics']),
    ).plan;
    const same = planWith(
      [db('metrics', { retentionPeriod: DAY_NS })],
      clusterDatabases(['metrics']),
    ).plan;
    const other = planWith(
      [db('metrics', { retentionPeriod: 2 * DAY_NS })],
      clusterDatabases(['metrics']),
    ).plan;
    expect(findDatabaseDifference(saved.databases, same.databases)).toBeNull();
    expect(findDatabaseDifference(saved.databases, other.databases)).toBe(
      'database 1 ("metrics"): the saved plan declares other settings than a fresh plan',
    );
    expect(findDatabaseDifference(saved.databases, [])).toMatch(
      /only the saved plan has update "metrics"/,
    );
  });
});
