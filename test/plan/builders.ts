import type { ClusterDatabase, DatabaseToken, Permission } from '../../src/model/index.js';
import type { DesiredToken, Duration } from '../../src/manifest/types.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { withMarker } from '../../src/plan/marker.js';
import type { PlanInput, PlanResult } from '../../src/plan/types.js';

export const NOW = new Date('2026-06-01T00:00:00Z');
export const DAY = 86_400_000;
export const ACCOUNT = '11111111-1111-4111-8111-111111111111';
export const CLUSTER = '22222222-2222-4222-8222-222222222222';

/** `read:db` / `write:*` → a permission. */
export function perm(text: string): Permission {
  const [action, resource] = text.split(':') as ['read' | 'write', string];
  return { action, resource };
}

export function duration(text: string): Duration {
  const units: Record<string, number> = { d: DAY, h: 3_600_000, m: 60_000 };
  const match = /^(\d+)([dhm])$/.exec(text);
  if (match === null) throw new Error(`test duration ${text}`);
  return { text, ms: Number(match[1]) * units[match[2]!]! };
}

/** A desired token; permissions as `read:db` strings. */
export function desired(
  name: string,
  overrides: Partial<Omit<DesiredToken, 'permissions'>> & { permissions?: string[] } = {},
): DesiredToken {
  const permissions = (overrides.permissions ?? ['read:metrics']).map(perm);
  return {
    name,
    description: `${name} token`,
    expiry: null,
    rotateAfter: null,
    overlap: null,
    protect: false,
    previousNames: [],
    team: null,
    source: { file: 'tokens.yaml', line: 10, column: 5 },
    databases: permissions
      .filter((p) => p.resource !== '*')
      .map((p) => ({ file: 'tokens.yaml', line: 12, column: 9, database: p.resource })),
    ...overrides,
    permissions,
  };
}

let counter = 0;

/** A live token managed under `name` (or with `description` as given when name is null). */
export function actual(
  name: string | null,
  overrides: Partial<Omit<DatabaseToken, 'permissions'>> & {
    permissions?: string[];
    human?: string;
  } = {},
): DatabaseToken {
  counter++;
  const { human, permissions, ...rest } = overrides;
  return {
    accountId: ACCOUNT,
    clusterId: CLUSTER,
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    description: name === null ? 'hand-made token' : withMarker(human ?? `${name} token`, name),
    permissions: (permissions ?? ['read:metrics']).map(perm),
    createdAt: '2026-05-01T00:00:00Z',
    ...rest,
  };
}

/** Cluster databases with the service's default settings, by name. */
export function clusterDatabases(names: readonly string[]): ClusterDatabase[] {
  return names.map((name) => ({
    accountId: ACCOUNT,
    clusterId: CLUSTER,
    name,
    maxTables: 500,
    maxColumnsPerTable: 200,
    retentionPeriod: 0,
  }));
}

export function plan(
  desiredTokens: DesiredToken[],
  actualTokens: DatabaseToken[],
  options: Partial<PlanInput['options']> = {},
  databases = ['metrics', 'logs', 'events', '_internal'],
): PlanResult {
  return computePlan({
    desired: desiredTokens,
    actual: actualTokens,
    databases: clusterDatabases(databases),
    now: NOW,
    options: { prune: false, replace: [], only: [], expiringWithin: null, ...options },
    target: {
      product: 'dedicated',
      url: 'http://127.0.0.1:1/api/v0',
      accountId: ACCOUNT,
      clusterId: CLUSTER,
    },
    manifest: { file: 'tokens.yaml', fingerprint: 'f'.repeat(64) },
  });
}
