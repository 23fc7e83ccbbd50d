import { describe, expect, it } from 'vitest';
import { buildProbes, chooseCanary } from '../../src/verify/build-probes.js';
import { perm } from '../plan/builders.js';

const row = (p: { database: string; action: string; expected: string }) =>
  `${p.action}:${p.database}=${p.expected}`;

describe('buildProbes', () => {
  it.each([
    [
      'named databases: granted where declared, denied on every other cluster database',
      ['read:logs', 'write:logs', 'read:metrics'],
      true,
      [
        'read:events=denied',
        'write:events=denied',
        'read:logs=granted',
        'write:logs=granted',
        'read:metrics=granted',
        'write:metrics=denied',
      ],
    ],
    [
      'reads only without --write-probe',
      ['read:logs', 'write:logs'],
      false,
      ['read:events=denied', 'read:logs=granted', 'read:metrics=denied'],
    ],
    [
      'a wildcard is granted on every cluster database',
      ['read:*'],
      true,
      [
        'read:events=granted',
        'write:events=denied',
        'read:logs=granted',
        'write:logs=denied',
        'read:metrics=granted',
        'write:metrics=denied',
      ],
    ],
    [
      'a declared database the cluster lacks is probed too',
      ['read:future'],
      false,
      ['read:events=denied', 'read:future=granted', 'read:logs=denied', 'read:metrics=denied'],
    ],
    [
      'no permissions: denied everywhere',
      [],
      false,
      ['read:events=denied', 'read:logs=denied', 'read:metrics=denied'],
    ],
  ])('%s', (_, permissions, writeProbe, expected) => {
    const probes = buildProbes(permissions.map(perm), ['metrics', 'logs', 'events'], {
      writeProbe,
    });
    expect(probes.map(row)).toEqual(expected);
  });
});

describe('buildProbes with a scope (the default probe set)', () => {
  const many = Array.from({ length: 50 }, (_, i) => `db-${String(i).padStart(2, '0')}`);

  it('probes the named databases, a stable sample of two others and the canary', () => {
    const scope = { tokenName: 'reader', canary: 'zz-canary', sample: 2 };
    const probes = buildProbes([perm('read:db-07')], [...many, 'zz-canary'], {
      writeProbe: false,
      scope,
    });
    expect(probes).toHaveLength(4);
    expect(probes.filter((p) => p.expected === 'granted').map((p) => p.database)).toEqual([
      'db-07',
    ]);
    expect(probes.map((p) => p.database)).toContain('zz-canary');
    // The same token gets the same sample on every run; another token another one.
    const again = buildProbes([perm('read:db-07')], [...many, 'zz-canary'], {
      writeProbe: false,
      scope,
    });
    expect(again).toEqual(probes);
    const other = buildProbes([perm('read:db-07')], [...many, 'zz-canary'], {
      writeProbe: false,
      scope: { ...scope, tokenName: 'writer' },
    });
    expect(other.map((p) => p.database)).not.toEqual(probes.map((p) => p.database));
  });

  it('spreads the samples of many tokens over the whole cluster', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const probes = buildProbes([], many, {
        writeProbe: false,
        scope: { tokenName: `t-${i}`, canary: null, sample: 2 },
      });
      for (const probe of probes) seen.add(probe.database);
    }
    expect(seen.size).toBe(50);
  });
});

describe('chooseCanary', () => {
  it('is the first database no token names; none when every one is named', () => {
    expect(chooseCanary([[perm('read:a')], [perm('read:*')]], ['c', 'a', 'b'])).toBe('b');
    expect(chooseCanary([[perm('read:a'), perm('write:b')]], ['a', 'b'])).toBeNull();
  });
});
