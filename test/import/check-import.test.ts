import { describe, expect, it } from 'vitest';
import { checkImport } from '../../src/import/check-import.js';
import { UsageError } from '../../src/errors.js';
import { withMarker, withRetireMarker } from '../../src/plan/marker.js';
import { actual, desired } from '../plan/builders.js';

const manifest = [desired('sensors-rw'), desired('renamed', { previousNames: ['old-name'] })];

function failure(run: () => unknown): { message: string; hint: string | undefined } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return { message: (error as UsageError).message, hint: (error as UsageError).hint };
  }
  throw new Error('expected a UsageError');
}

describe('checkImport', () => {
  it('adopts a live unmanaged token under a declared name', () => {
    const token = actual(null);
    const check = checkImport('sensors-rw', token.id, manifest, [token], token);
    expect(check).toMatchObject({ kind: 'adopt', desired: { name: 'sensors-rw' }, token });
  });

  it('says "already imported" for a token that already carries the name', () => {
    const token = actual('sensors-rw');
    expect(checkImport('sensors-rw', token.id, manifest, [token], token).kind).toBe(
      'already-imported',
    );
  });

  it('refuses an undeclared name with a did-you-mean hint', () => {
    const token = actual(null);
    expect(failure(() => checkImport('sensor-rw', token.id, manifest, [token], token))).toEqual({
      message: 'no token "sensor-rw" in the manifest',
      hint: 'did you mean "sensors-rw"?',
    });
  });

  it('refuses a token that is not in the cluster', () => {
    expect(failure(() => checkImport('sensors-rw', 'abc', manifest, [], undefined)).message).toBe(
      'token abc not found in the cluster',
    );
  });

  it('refuses a revoked token', () => {
    const token = actual(null, { revokedAt: '2026-05-03T00:00:00Z' });
    expect(failure(() => checkImport('sensors-rw', token.id, manifest, [token], token))).toEqual({
      message: `token ${token.id} was revoked at 2026-05-03T00:00:00Z; it cannot be adopted`,
      hint: '`provision apply` creates "sensors-rw" anew',
    });
  });

  it('refuses a token managed under another name, current or retiring', () => {
    const other = actual(null, { description: withMarker('x', 'other') });
    expect(failure(() => checkImport('sensors-rw', other.id, manifest, [other], other))).toEqual({
      message: `token ${other.id} is already managed as "other"`,
      hint: 'import adopts only unmanaged tokens; to rename, add previousNames: [other] to "sensors-rw" in the manifest',
    });
    const retiring = actual(null, {
      description: withRetireMarker('x', 'sensors-rw', '2026-07-01T00:00:00Z'),
    });
    expect(
      failure(() => checkImport('sensors-rw', retiring.id, manifest, [retiring], retiring)).message,
    ).toBe(
      `token ${retiring.id} is already managed as "sensors-rw" (retiring at 2026-07-01T00:00:00Z)`,
    );
  });

  it('refuses when a live token already holds the name or a previous name', () => {
    const holder = actual('sensors-rw');
    const token = actual(null);
    expect(
      failure(() => checkImport('sensors-rw', token.id, manifest, [holder, token], token)).message,
    ).toBe(
      `"sensors-rw" is already held by live token ${holder.id}; importing ${token.id} would create a duplicate`,
    );
    const old = actual('old-name');
    expect(
      failure(() => checkImport('renamed', token.id, manifest, [old, token], token)).message,
    ).toContain(`is already held by live token ${old.id}`);
  });

  it('a revoked or retiring holder of the name is no duplicate', () => {
    const token = actual(null);
    const revoked = actual('sensors-rw', { revokedAt: '2026-05-02T00:00:00Z' });
    const retiring = actual(null, {
      description: withRetireMarker('x', 'sensors-rw', '2026-07-01T00:00:00Z'),
    });
    const all = [revoked, retiring, token];
    expect(checkImport('sensors-rw', token.id, manifest, all, token).kind).toBe('adopt');
  });
});
