import fc from 'fast-check';
import type { Permission } from '../../src/model/index.js';
import { normalisePermissions } from '../../src/manifest/normalise-permissions.js';
import { permissionKey } from '../../src/plan/permission-key.js';
import { describe, expect, it } from 'vitest';
import { findLostSecrets } from '../../src/plan/find-lost-secrets.js';
import { fingerprintCluster } from '../../src/plan/fingerprint-cluster.js';
import { actual, clusterDatabases, perm } from './builders.js';

describe('fingerprintCluster', () => {
  const a = actual('a', { permissions: ['read:metrics', 'write:logs'] });
  const b = actual(null);
  const base = fingerprintCluster([a, b], clusterDatabases(['metrics', 'logs']));

  it('ignores listing order, permission order and database order', () => {
    const shuffled = { ...a, permissions: [perm('write:logs'), perm('read:metrics')] };
    expect(fingerprintCluster([b, shuffled], clusterDatabases(['logs', 'metrics']))).toBe(base);
  });

  it.each([
    ['a revocation', [{ ...a, revokedAt: '2026-06-01T00:00:00Z' }, b], ['metrics', 'logs']],
    ['a description', [{ ...a, description: 'changed' }, b], ['metrics', 'logs']],
    ['a permission', [{ ...a, permissions: [perm('read:metrics')] }, b], ['metrics', 'logs']],
    ['an expiry', [{ ...a, expiresAt: '2027-01-01T00:00:00Z' }, b], ['metrics', 'logs']],
    ['a new token', [a, b, actual('c')], ['metrics', 'logs']],
    ['a new database', [a, b], ['metrics', 'logs', 'events']],
  ])('moves with %s', (_what, tokens, databases) => {
    expect(fingerprintCluster(tokens, clusterDatabases(databases))).not.toBe(base);
  });

  it.each([
    ['a retention', { retentionPeriod: 86_400e9 }],
    ['a table limit', { maxTables: 10 }],
    ['a column limit', { maxColumnsPerTable: 10 }],
    ['a partition template', { partitionTemplate: [{ type: 'tag' as const, value: 'host' }] }],
  ])("moves with a database's %s", (_what, settings) => {
    const [metrics, logs] = clusterDatabases(['metrics', 'logs']);
    expect(fingerprintCluster([a, b], [{ ...metrics!, ...settings }, logs!])).not.toBe(base);
  });
});

describe('findLostSecrets', () => {
  const token = actual('ingest', { createdAt: '2026-05-01T10:00:00Z' });
  const retiring = actual(null, {
    description: '[provision:ingest retire=2026-07-01T00:00:00Z]',
    createdAt: '2026-05-01T10:00:00Z',
  });
  const intent = (at: string, name = 'ingest') => ({ name, at });

  it.each([
    ['an intent just before the create', [intent('2026-05-01T09:59:59Z')], [], [token.id]],
    [
      'an intent within the clock-skew allowance after it',
      [intent('2026-05-01T10:04:00Z')],
      [],
      [token.id],
    ],
    [
      'an intent long after it (a later, unrelated create)',
      [intent('2026-05-01T11:00:00Z')],
      [],
      [],
    ],
    ['a sealed token', [intent('2026-05-01T09:59:59Z')], [token.id], []],
    ['an intent for another name', [intent('2026-05-01T09:59:59Z', 'query')], [], []],
    ['no intent', [], [], []],
  ])('%s', (_what, intents, sealed, expected) => {
    const index = { sealedTokenIds: new Set(sealed), unresolvedIntents: intents };
    expect(findLostSecrets(index, [token, retiring])).toEqual(expected);
  });

  it('ignores revoked tokens', () => {
    const revoked = { ...token, revokedAt: '2026-05-02T00:00:00Z' };
    const index = {
      sealedTokenIds: new Set<string>(),
      unresolvedIntents: [intent('2026-05-01T09:00:00Z')],
    };
    expect(findLostSecrets(index, [revoked])).toEqual([]);
  });
});

describe('permissionKey', () => {
  const lists = fc.array(
    fc.record({
      action: fc.constantFrom('read', 'write'),
      resource: fc.constantFrom('*', 'a', 'b', '_c', '!d'),
    }),
    { maxLength: 6 },
  );

  it('equals the key of the normalised list, for canonical and other lists alike', () => {
    fc.assert(
      fc.property(lists, (permissions) => {
        const list = permissions as Permission[];
        expect(permissionKey(list)).toBe(permissionKey(normalisePermissions(list)));
        expect(permissionKey(list)).toBe(
          normalisePermissions(list)
            .map((p) => `${p.action}:${p.resource},`)
            .join(''),
        );
      }),
    );
  });
});
