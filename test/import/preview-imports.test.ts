import { describe, expect, it } from 'vitest';
import { previewImports } from '../../src/import/preview-imports.js';
import { ACCOUNT, CLUSTER, NOW, actual, desired, duration } from '../plan/builders.js';
import type { DatabaseToken } from '../../src/api/types.js';
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
      databases: ['metrics', 'logs'],
      now: NOW,
      target: { url: 'http://127.0.0.1:1/api/v0', accountId: ACCOUNT, clusterId: CLUSTER },
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
