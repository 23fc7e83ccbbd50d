import type { Plan, PlanSet, PlanSummary } from './types.js';

/**
 * Key order of the documented plan format. Keys not listed (fields added later) follow in
 * alphabetical order, so the output is stable whichever code built the object.
 */
const ORDER: Record<string, readonly string[]> = {
  plan: [
    'formatVersion',
    'createdAt',
    'clusterName',
    'target',
    'manifest',
    'cluster',
    'options',
    'summary',
    'databases',
    'changes',
    'unmanaged',
    'unmanagedDatabases',
    'retiring',
    'warnings',
  ],
  target: ['product', 'url', 'accountId', 'clusterId'],
  manifest: ['file', 'fingerprint'],
  cluster: ['fingerprint'],
  options: ['prune', 'replace', 'only', 'expiringWithin', 'allowMissingDatabases'],
  summary: ['create', 'update', 'replace', 'revoke', 'no-op', 'unmanaged', 'retiring', 'databases'],
  databaseSummary: ['create', 'update', 'no-op', 'unmanaged'],
  database: [
    'name',
    'team',
    'action',
    'actions',
    'reasonCode',
    'reason',
    'before',
    'after',
    'patch',
    'source',
  ],
  settings: ['retentionPeriod', 'maxTables', 'maxColumnsPerTable', 'partitionTemplate'],
  part: ['type', 'value'],
  bucket: ['tagName', 'numberOfBuckets'],
  change: [
    'name',
    'team',
    'action',
    'actions',
    'reasonCode',
    'reason',
    'before',
    'after',
    'patch',
    'retireAt',
    'source',
    'deliverTo',
  ],
  before: ['id', 'description', 'permissions', 'createdAt', 'expiresAt'],
  after: ['description', 'permissions', 'expiresAt', 'expiresIn'],
  expiresIn: ['text', 'ms'],
  patch: ['description', 'permissions'],
  permission: ['action', 'resource'],
  source: ['file', 'line', 'column'],
  unmanaged: ['id', 'description', 'permissions'],
  retiring: ['name', 'id', 'retireAt'],
};

// Which ORDER entry applies to the elements of an array, or to the value of a key.
const CHILD: Record<string, string> = {
  changes: 'change',
  permissions: 'permission',
  unmanaged: 'unmanaged',
  retiring: 'retiring',
  partitionTemplate: 'part',
};

// Inside a database entry, the same keys hold database shapes.
const DATABASE_CHILD: Record<string, string> = {
  before: 'settings',
  after: 'settings',
  patch: 'settings',
  partitionTemplate: 'part',
  value: 'bucket',
};

/** The plan as pretty-printed JSON with a trailing newline: the saved and `--format json` form. */
export function serialisePlan(plan: Plan | PlanSet): string {
  if ('plans' in plan) {
    const tree = {
      formatVersion: plan.formatVersion,
      createdAt: plan.createdAt,
      manifest: ordered(plan.manifest, 'manifest'),
      summary: shownSummary(plan.summary),
      plans: plan.plans.map(planTree),
    };
    return `${JSON.stringify(tree, null, 2)}\n`;
  }
  return `${JSON.stringify(planTree(plan), null, 2)}\n`;
}

/** The summary as written: `no-op`, not `noop`, in the documented key order. */
function shownSummary(summary: PlanSummary): unknown {
  const { noop, databases, ...counts } = summary;
  const { noop: databaseNoop, ...databaseCounts } = databases;
  const tree = ordered({ ...counts, 'no-op': noop }, 'summary') as Record<string, unknown>;
  tree.databases = ordered({ ...databaseCounts, 'no-op': databaseNoop }, 'databaseSummary');
  return tree;
}

function planTree(plan: Plan): Record<string, unknown> {
  const tree = ordered(plan, 'plan') as Record<string, unknown>;
  // One spelling everywhere a person reads it: actions and events say `no-op`, so does this.
  tree.summary = shownSummary(plan.summary);
  tree.databases = plan.databases.map((entry) => ordered(entry, 'database', DATABASE_CHILD));
  return tree;
}

function ordered(value: unknown, kind: string, child = CHILD): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(item, child[kind] ?? kind, child));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const known = ORDER[kind] ?? [];
  const rest = Object.keys(record)
    .filter((key) => !known.includes(key))
    .sort();
  const result: Record<string, unknown> = {};
  for (const key of [...known, ...rest]) {
    if (record[key] === undefined) continue;
    result[key] = ordered(record[key], child[key] ?? key, child);
  }
  return result;
}
