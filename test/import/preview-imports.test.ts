import { describe, expect, it } from 'vitest';
import { previewImports } from '../../src/import/preview-imports.js';
import { computePlan } from '../../src/plan/compute-plan.js';
import { findLostSecrets } from '../../src/plan/find-lost-secrets.js';
import { withMarker } from '../../src/plan/marker.js';
import {
  ACCOUNT,
  CLUSTER,
  NOW,
  actual,
  clusterDatabases,
  desired,
  duration,
} from '../plan/builders.js';
import type { DatabaseToken } from '../../src/model/index.js';
import type { DesiredToken } from '../../src/manifest/types.js';

function preview(
  wanted: DesiredToken[],
  tokens: DatabaseToken[],
  imports: { name: string; tokenId: string }[],
) {
  return previewImports(
    {
      desired: wanted,
      actual: tokens,
      databases: clusterDatabases(['metrics', 'logs']),
      now: NOW,
      target: {
        product: 'dedicated',
        url: 'http://127.0.0.1:1/api/v0',
        accountId: ACCOUNT,
        clusterId: CLUSTER,
      },
      manifest: { file: 'tokens.yaml', fingerprint: 'f'.repeat(64) },
    },
    imports,
  );
}

describe('previewImports', () => {
  it('an exact match needs nothing more', () => {
    const token = actual(null, { description: 'logs reader', permissions: ['read:logs'] });
    const result = preview(
      [desired('logs-ro', { description: 'logs reader', permissions: ['read:logs'] })],
      [token],
      [{ name: 'logs-ro', tokenId: token.id }],
    );
    expect(result.problems).toEqual([]);
    expect(result.changes[0]?.change).toMatchObject({ action: 'no-op', before: { id: token.id } });
  });

  it('keeps the human text, so a different description and permissions show as the next update', () => {
    const token = actual(null, { description: 'legacy', permissions: ['read:logs'] });
    const result = preview(
      [
        desired('logs-rw', {
          description: 'logs writer',
          permissions: ['read:logs', 'write:logs'],
        }),
      ],
      [token],
      [{ name: 'logs-rw', tokenId: token.id }],
    );
    expect(result.changes[0]?.change).toMatchObject({
      action: 'update',
      reason: 'description changed; permissions changed',
      before: { description: 'legacy [provision:logs-rw]' },
      patch: {
        description: 'logs writer [provision:logs-rw]',
        permissions: [
          { action: 'read', resource: 'logs' },
          { action: 'write', resource: 'logs' },
        ],
      },
    });
  });

  it('shows a replace when the expiry differs, and only the imported names', () => {
    const token = actual(null, { description: 'd' });
    const result = preview(
      [
        desired('expiring', {
          description: 'd',
          expiry: { kind: 'in', duration: duration('90d') },
        }),
        desired('elsewhere', { permissions: ['read:nowhere'] }),
      ],
      [token],
      [{ name: 'expiring', tokenId: token.id }],
    );
    expect(result.changes[0]?.change).toMatchObject({
      action: 'replace',
      reasonCode: 'expiry-changed',
    });
    expect(result.problems).toEqual([]);
  });

  it('reports what would stop the next plan', () => {
    const token = actual(null, { description: 'd', permissions: ['read:nowhere'] });
    const result = preview(
      [desired('x', { description: 'd', permissions: ['read:nowhere'] })],
      [token],
      [{ name: 'x', tokenId: token.id }],
    );
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toContain('nowhere');
  });
});

describe('previewImports agrees with the next plan about old intents (finding 5)', () => {
  const input = (wanted: DesiredToken[], tokens: DatabaseToken[]) => ({
    desired: wanted,
    actual: tokens,
    databases: clusterDatabases(['metrics', 'logs']),
    now: NOW,
    target: {
      product: 'dedicated' as const,
      url: 'http://127.0.0.1:1/api/v0',
      accountId: ACCOUNT,
      clusterId: CLUSTER,
    },
    manifest: { file: 'tokens.yaml', fingerprint: 'f'.repeat(64) },
  });
  const wanted = [desired('logs-ro', { description: 'logs reader', permissions: ['read:logs'] })];

  it.each([
    // An apply gave up on "logs-ro" a week ago; someone made a token by hand today.
    ['a token made long after an old unresolved intent', '2026-05-25T00:00:00Z', 'no-op'],
    // The intent's own create may have made this one: its string is lost.
    ['a token made right after the intent', '2026-05-18T00:00:01Z', 'replace'],
  ])('%s', (_what, createdAt, action) => {
    const token = actual(null, {
      description: 'logs reader',
      permissions: ['read:logs'],
      createdAt,
    });
    const evidence = {
      sealedTokenIds: new Set<string>(),
      unresolvedIntents: [{ name: 'logs-ro', at: '2026-05-18T00:00:00Z' }],
    };
    const spec = { name: 'logs-ro', tokenId: token.id };
    const result = previewImports(input(wanted, [token]), [spec], evidence);
    expect(result.changes[0]?.change?.action).toBe(action);

    // The next plan, on the cluster after the import, with the same evidence.
    const imported = { ...token, description: withMarker(token.description, 'logs-ro') };
    const next = computePlan({
      ...input(wanted, [imported]),
      options: {
        prune: false,
        replace: [],
        only: [],
        expiringWithin: null,
        lostSecretIds: findLostSecrets(evidence, [imported]),
        sealedTokenIds: [],
      },
    });
    expect(next.plan.changes.map((c) => c.action)).toEqual([action]);
  });
});
