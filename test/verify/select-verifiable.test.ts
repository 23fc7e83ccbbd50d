import { describe, expect, it } from 'vitest';
import { withRetireMarker } from '../../src/plan/marker.js';
import { selectVerifiable } from '../../src/verify/select-verifiable.js';
import type { SealedEntry } from '../../src/verify/types.js';
import { actual, desired } from '../plan/builders.js';

const seal = (tokenId: string, sealedAt: string, file = '/s/tokens.sealed'): SealedEntry => ({
  tokenId,
  sealedAt,
  file,
});

describe('selectVerifiable', () => {
  it('picks the sealed string of the live token under the name', () => {
    const live = actual('a');
    const [result] = selectVerifiable(
      [desired('a')],
      [seal(live.id, '2026-05-01T00:00:00Z')],
      [live],
    );
    expect(result).toEqual({
      kind: 'verifiable',
      name: 'a',
      team: null,
      tokenId: live.id,
      file: '/s/tokens.sealed',
    });
  });

  it('skips the sealed strings of revoked tokens and takes the latest live one', () => {
    const revoked = actual('a', { revokedAt: '2026-05-10T00:00:00Z' });
    const old = actual(null, { description: withRetireMarker('a', 'a', '2026-07-01T00:00:00Z') });
    const current = actual('a');
    const sealed = [
      seal(revoked.id, '2026-05-20T00:00:00Z'),
      seal(current.id, '2026-05-05T00:00:00Z', '/s/team.sealed'),
      seal(old.id, '2026-05-01T00:00:00Z'),
    ];
    const [result] = selectVerifiable([desired('a')], sealed, [revoked, old, current]);
    expect(result).toMatchObject({
      kind: 'verifiable',
      tokenId: current.id,
      file: '/s/team.sealed',
    });
  });

  it('finds a token still under a previous name', () => {
    const live = actual('old');
    const [result] = selectVerifiable(
      [desired('new', { previousNames: ['old'] })],
      [seal(live.id, '2026-05-01T00:00:00Z')],
      [live],
    );
    expect(result).toMatchObject({ kind: 'verifiable', name: 'new', tokenId: live.id });
  });

  it('a live token without a sealed string is not-sealed; no live token is not-in-cluster', () => {
    const live = actual('a');
    const unmanagedSealed = actual(null);
    const results = selectVerifiable(
      [desired('a', { team: 't' }), desired('b')],
      [seal(unmanagedSealed.id, '2026-05-01T00:00:00Z')],
      [live, unmanagedSealed],
    );
    expect(results).toEqual([
      { kind: 'not-verifiable', name: 'a', team: 't', tokenId: live.id, reason: 'not-sealed' },
      { kind: 'not-verifiable', name: 'b', team: null, tokenId: null, reason: 'not-in-cluster' },
    ]);
  });
});
