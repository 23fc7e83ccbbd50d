import { describe, expect, it } from 'vitest';
import { buildProbes } from '../../src/verify/build-probes.js';
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
