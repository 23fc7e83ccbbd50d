import { describe, expect, it } from 'vitest';
import type { RecordLine } from '../../src/secrets/parse-secrets-file.js';
import { resolveStanding } from '../../src/secrets/resolve-standing.js';

const sealed = (tokenId: string, name: string): RecordLine => ({
  type: 'sealed',
  intent: `i-${tokenId}`,
  name,
  team: null,
  tokenId,
  createdAt: 'c',
  sealedAt: 's',
  data: '',
});
const renamed = (tokenId: string, from: string, to: string): RecordLine => ({
  type: 'renamed',
  tokenId,
  from,
  to,
  at: 'r',
});
const revoked = (tokenId: string, name: string): RecordLine => ({
  type: 'revoked',
  tokenId,
  name,
  at: 'v',
});

function standing(lines: RecordLine[]): Record<string, string> {
  return Object.fromEntries(
    [...resolveStanding(lines)].map(([id, s]) => [id, `${s.name}:${s.status}`]),
  );
}

describe('resolveStanding', () => {
  it.each<[string, RecordLine[], Record<string, string>]>([
    ['one token', [sealed('t1', 'a')], { t1: 'a:current' }],
    [
      'a rotation: the later sealed token of a name is current',
      [sealed('t1', 'a'), sealed('t2', 'a')],
      { t1: 'a:superseded', t2: 'a:current' },
    ],
    [
      'a revoked newer token leaves the older one current',
      [sealed('t1', 'a'), sealed('t2', 'a'), revoked('t2', 'a')],
      { t1: 'a:current', t2: 'a:revoked' },
    ],
    [
      'a rename moves the token to its new name',
      [sealed('t1', 'old'), renamed('t1', 'old', 'new')],
      { t1: 'new:current' },
    ],
    [
      'renamed onto a name sealed later: the later seal is current',
      [sealed('t1', 'old'), sealed('t2', 'new'), renamed('t1', 'old', 'new')],
      { t1: 'new:superseded', t2: 'new:current' },
    ],
    [
      'lines about tokens not sealed in this file are ignored',
      [renamed('tx', 'a', 'b'), revoked('ty', 'c'), sealed('t1', 'a')],
      { t1: 'a:current' },
    ],
    [
      'a token sealed twice (a retried write) counts once, at its first line',
      [sealed('t1', 'a'), sealed('t2', 'a'), sealed('t1', 'a')],
      { t1: 'a:superseded', t2: 'a:current' },
    ],
  ])('%s', (_, lines, expected) => {
    expect(standing(lines)).toEqual(expected);
  });

  it('keeps the first revoke time, and counts only the ids the reader trusts', () => {
    const lines = [sealed('t1', 'a'), sealed('t2', 'a'), revoked('t1', 'a')];
    expect(resolveStanding(lines).get('t1')).toEqual({
      name: 'a',
      status: 'revoked',
      revokedAt: 'v',
    });
    // t2 did not decrypt: t1 is judged without it.
    expect(resolveStanding([sealed('t1', 'a'), sealed('t2', 'a')], (id) => id === 't1')).toEqual(
      new Map([['t1', { name: 'a', status: 'current' }]]),
    );
  });
});
