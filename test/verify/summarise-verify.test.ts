import { describe, expect, it } from 'vitest';
import { describeMismatches } from '../../src/verify/describe-mismatch.js';
import { judgeProbe, summariseVerify } from '../../src/verify/summarise-verify.js';
import type { ProbeSpec } from '../../src/verify/types.js';

const read = (database: string, expected: 'granted' | 'denied'): ProbeSpec => ({
  database,
  action: 'read',
  expected,
});
const write = (database: string, expected: 'granted' | 'denied'): ProbeSpec => ({
  database,
  action: 'write',
  expected,
});

describe('judgeProbe', () => {
  it.each([
    [read('a', 'granted'), 'granted', true],
    [read('a', 'denied'), 'denied', true],
    [read('a', 'granted'), 'denied', false],
    [read('a', 'denied'), 'granted', false],
    [read('a', 'granted'), 'unauthenticated', false],
    [read('a', 'denied'), 'unauthenticated', false],
    [read('a', 'granted'), 'missing-database', false],
    [read('a', 'denied'), 'missing-database', true],
    [read('a', 'granted'), { error: 'boom' }, false],
  ] as const)('%o answered %o is ok=%s', (spec, observed, ok) => {
    expect(judgeProbe(spec, observed).ok).toBe(ok);
  });
});

describe('summariseVerify and describeMismatches', () => {
  const report = summariseVerify({
    clusterUrl: 'https://c.example.com',
    writeProbe: true,
    candidates: [
      { kind: 'verifiable', name: 'zeta', team: null, tokenId: 'z', file: '/f' },
      { kind: 'verifiable', name: 'alpha', team: 't', tokenId: 'a', file: '/f' },
      { kind: 'verifiable', name: 'dead', team: null, tokenId: 'd', file: '/f' },
      { kind: 'not-verifiable', name: 'beta', team: null, tokenId: 'b', reason: 'not-sealed' },
      {
        kind: 'not-verifiable',
        name: 'gamma',
        team: null,
        tokenId: 'g',
        reason: 'cannot-open',
        file: 'team.sealed',
      },
    ],
    outcomes: new Map([
      ['zeta', [judgeProbe(read('logs', 'granted'), 'granted')]],
      [
        'alpha',
        [
          judgeProbe(read('logs', 'denied'), 'granted'),
          judgeProbe(write('logs', 'granted'), 'denied'),
          judgeProbe(read('new', 'granted'), 'missing-database'),
          judgeProbe(write('new', 'denied'), 'missing-database'),
          judgeProbe(read('x', 'granted'), { error: 'connection reset (ECONNRESET)' }),
        ],
      ],
      [
        'dead',
        [
          judgeProbe(read('logs', 'granted'), 'unauthenticated'),
          judgeProbe(read('x', 'denied'), 'unauthenticated'),
        ],
      ],
    ]),
  });

  it('sorts tokens by name and counts', () => {
    expect(report.tokens.map((t) => `${t.name}:${t.status}`)).toEqual([
      'alpha:mismatch',
      'beta:not-verifiable',
      'dead:mismatch',
      'gamma:not-verifiable',
      'zeta:verified',
    ]);
    expect(report.summary).toEqual({
      tokens: 5,
      verified: 1,
      mismatched: 2,
      notVerifiable: 2,
      probes: 8,
      mismatches: 6,
    });
    expect(report.tokens[1]?.reason).toBe('string not in the secrets file');
    expect(report.tokens[3]?.reason).toBe('cannot open team.sealed with this identity');
  });

  it('names token and database in every mismatch, and says 401 once per token', () => {
    expect(report.tokens.flatMap(describeMismatches)).toEqual([
      'alpha on logs: can read, but the manifest does not grant it',
      'alpha on logs: cannot write (403), but the manifest grants it',
      'alpha on new: the database does not exist (404), but the manifest grants read on it',
      'alpha on x: read probe failed: connection reset (ECONNRESET)',
      'dead: every probe answered 401: not active yet or revoked',
    ]);
  });
});
