import { CLUSTER_NAME_PATTERN } from '../model/index.js';
/**
 * Checks that a parsed saved plan has the shape `apply` relies on. Returns the first thing
 * wrong, as a short phrase naming its path (`changes[3].action is "explode"`), or `null`.
 */
export function validatePlanShape(value: unknown): string | null {
  if (!isRecord(value)) return 'not a JSON object';
  if (value.formatVersion === undefined) return 'no formatVersion';
  return (
    expect(value, 'formatVersion', (v) => v === 1, '1') ??
    expect(value, 'createdAt', isInstant, 'a time') ??
    expect(
      value,
      'clusterName',
      (v) => v === undefined || (typeof v === 'string' && CLUSTER_NAME_PATTERN.test(v)),
      'a cluster name',
    ) ??
    checkTarget(value.target) ??
    record(value, 'manifest', ['file', 'fingerprint']) ??
    record(value, 'cluster', ['fingerprint']) ??
    checkOptions(value.options) ??
    checkList(value, 'databases', checkDatabaseChange) ??
    checkList(value, 'changes', checkChange) ??
    checkList(value, 'unmanaged', (item, at) => strings(item, at, ['id', 'description'])) ??
    checkList(value, 'unmanagedDatabases', (item, at) =>
      typeof item === 'string' ? null : `${at} is not text`,
    ) ??
    checkList(value, 'retiring', (item, at) => strings(item, at, ['name', 'id', 'retireAt'])) ??
    // Plans saved before warnings were data hold text; either way apply re-plans.
    checkList(value, 'warnings', (item, at) =>
      typeof item === 'string' || (isRecord(item) && typeof item.code === 'string')
        ? null
        : `${at} is neither a warning nor text`,
    ) ??
    checkSummary(value.summary)
  );
}

/**
 * As `validatePlanShape`, for a saved set of plans (a manifest with `clusters:`): every plan
 * is a plan for one named cluster, no cluster twice, all made from the set's manifest.
 */
export function validatePlanSetShape(value: unknown): string | null {
  if (!isRecord(value)) return 'not a JSON object';
  const shape =
    expect(value, 'formatVersion', (v) => v === 1, '1') ??
    expect(value, 'createdAt', isInstant, 'a time') ??
    record(value, 'manifest', ['file', 'fingerprint']) ??
    checkSummary(value.summary) ??
    expect(value, 'plans', (v) => Array.isArray(v) && v.length > 0, 'a list of plans');
  if (shape !== null) return shape;
  const manifest = value.manifest as Record<string, unknown>;
  const seen = new Set<string>();
  for (const [index, plan] of (value.plans as unknown[]).entries()) {
    const at = `plans[${index}]`;
    const problem = validatePlanShape(plan);
    if (problem !== null) return `${at}: ${problem}`;
    const { clusterName, manifest: own } = plan as Record<string, unknown>;
    if (typeof clusterName !== 'string' || !CLUSTER_NAME_PATTERN.test(clusterName)) {
      return `${at}.clusterName is not a cluster name`;
    }
    if (seen.has(clusterName)) return `${at} plans cluster ${clusterName} a second time`;
    seen.add(clusterName);
    const ownManifest = own as Record<string, unknown>;
    if (ownManifest.file !== manifest.file || ownManifest.fingerprint !== manifest.fingerprint) {
      return `${at}.manifest is not the set's manifest`;
    }
  }
  return null;
}

const ACTIONS = new Set(['create', 'update', 'replace', 'revoke', 'no-op']);
const RESOURCE_ACTIONS = new Set(['create', 'update', 'delete', 'no-op']);

function checkChange(item: unknown, at: string): string | null {
  if (!isRecord(item)) return `${at} is not an object`;
  const basics =
    strings(item, at, ['name', 'reasonCode', 'reason']) ??
    expect(item, 'action', (v) => typeof v === 'string' && ACTIONS.has(v), 'an action', at) ??
    expect(
      item,
      'actions',
      (v) =>
        Array.isArray(v) &&
        v.length > 0 &&
        v.every((a) => typeof a === 'string' && RESOURCE_ACTIONS.has(a)),
      'a list of actions',
      at,
    ) ??
    expect(item, 'team', (v) => v === null || typeof v === 'string', 'text or null', at) ??
    expect(
      item,
      'deliverTo',
      (v) => v === undefined || (Array.isArray(v) && v.every((name) => typeof name === 'string')),
      'a list of delivery target names',
      at,
    );
  if (basics !== null) return basics;
  const needsBefore = item.action !== 'create';
  const needsAfter = item.action !== 'revoke';
  if (needsBefore !== isRecord(item.before))
    return `${at}.before is ${needsBefore ? 'missing' : 'unexpected'} for a ${String(item.action)}`;
  if (needsAfter !== isRecord(item.after))
    return `${at}.after is ${needsAfter ? 'missing' : 'unexpected'} for a ${String(item.action)}`;
  if (isRecord(item.before)) {
    const problem =
      strings(item.before, `${at}.before`, ['id', 'description', 'createdAt']) ??
      permissions(item.before, `${at}.before`);
    if (problem !== null) return problem;
  }
  if (isRecord(item.after)) {
    const problem =
      strings(item.after, `${at}.after`, ['description']) ?? permissions(item.after, `${at}.after`);
    if (problem !== null) return problem;
  }
  if (item.action === 'update' && !isRecord(item.patch))
    return `${at}.patch is missing for an update`;
  if (item.retireAt !== undefined && !isInstant(item.retireAt))
    return `${at}.retireAt is not a time`;
  return null;
}

function checkOptions(options: unknown): string | null {
  if (!isRecord(options)) return 'options is missing';
  return (
    expect(options, 'prune', (v) => typeof v === 'boolean', 'true or false', 'options') ??
    expect(options, 'replace', isStringList, 'a list of names', 'options') ??
    expect(options, 'only', isStringList, 'a list of selectors', 'options') ??
    expect(
      options,
      'expiringWithin',
      (v) => v === null || typeof v === 'string',
      'text or null',
      'options',
    ) ??
    expect(
      options,
      'allowMissingDatabases',
      (v) => v === undefined || typeof v === 'boolean',
      'true or false',
      'options',
    )
  );
}

function checkSummary(summary: unknown): string | null {
  if (!isRecord(summary)) return 'summary is missing';
  for (const key of ['create', 'update', 'replace', 'revoke', 'noop', 'unmanaged', 'retiring']) {
    if (!Number.isInteger(summary[key])) return `summary.${key} is not a count`;
  }
  const databases = summary.databases;
  if (!isRecord(databases)) return 'summary.databases is missing';
  for (const key of ['create', 'update', 'noop', 'unmanaged']) {
    if (!Number.isInteger(databases[key])) return `summary.databases.${key} is not a count`;
  }
  return null;
}

const DATABASE_ACTIONS = new Set(['create', 'update', 'no-op']);

// Only the shape: what a database entry commits to is compared with a fresh plan anyway.
function checkDatabaseChange(item: unknown, at: string): string | null {
  if (!isRecord(item)) return `${at} is not an object`;
  const basics =
    strings(item, at, ['name', 'reasonCode', 'reason']) ??
    expect(
      item,
      'action',
      (v) => typeof v === 'string' && DATABASE_ACTIONS.has(v),
      'create, update or no-op',
      at,
    ) ??
    expect(item, 'actions', isStringList, 'a list of actions', at) ??
    expect(item, 'team', (v) => v === null || typeof v === 'string', 'text or null', at) ??
    expect(item, 'after', isRecord, 'the declared settings', at);
  if (basics !== null) return basics;
  if ((item.action === 'create') === isRecord(item.before)) {
    return `${at}.before is ${item.action === 'create' ? 'unexpected' : 'missing'} for a ${String(item.action)}`;
  }
  if (item.action === 'update' && !isRecord(item.patch))
    return `${at}.patch is missing for an update`;
  return null;
}

function permissions(item: Record<string, unknown>, at: string): string | null {
  const list = item.permissions;
  if (!Array.isArray(list)) return `${at}.permissions is not a list`;
  const bad = list.findIndex(
    (p) => !isRecord(p) || typeof p.action !== 'string' || typeof p.resource !== 'string',
  );
  return bad === -1 ? null : `${at}.permissions[${bad}] is not a permission`;
}

function checkList(
  value: Record<string, unknown>,
  key: string,
  check: (item: unknown, at: string) => string | null,
): string | null {
  const list = value[key];
  if (!Array.isArray(list)) return `${key} is not a list`;
  for (const [index, item] of list.entries()) {
    const problem = check(item, `${key}[${index}]`);
    if (problem !== null) return problem;
  }
  return null;
}

/** A Dedicated target names its account and cluster; a Clustered one must not. */
function checkTarget(target: unknown): string | null {
  if (!isRecord(target)) return 'target is missing';
  if (target.product === 'clustered') {
    const extra = ['accountId', 'clusterId'].find((key) => key in target);
    return extra === undefined
      ? strings(target, 'target', ['url'])
      : `target.${extra} is unexpected for a Clustered cluster`;
  }
  if (target.product !== 'dedicated') return 'target.product is neither dedicated nor clustered';
  return strings(target, 'target', ['url', 'accountId', 'clusterId']);
}

function record(value: Record<string, unknown>, key: string, fields: string[]): string | null {
  const inner = value[key];
  return isRecord(inner) ? strings(inner, key, fields) : `${key} is missing`;
}

function strings(item: unknown, at: string, fields: string[]): string | null {
  if (!isRecord(item)) return `${at} is not an object`;
  const bad = fields.find((field) => typeof item[field] !== 'string');
  return bad === undefined
    ? null
    : `${at}.${bad} is ${item[bad] === undefined ? 'missing' : 'not text'}`;
}

function expect(
  item: Record<string, unknown>,
  key: string,
  test: (value: unknown) => boolean,
  wanted: string,
  at?: string,
): string | null {
  if (test(item[key])) return null;
  const path = at === undefined ? key : `${at}.${key}`;
  return item[key] === undefined
    ? `${path} is missing`
    : `${path} is ${JSON.stringify(item[key])}, not ${wanted}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isInstant(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}
