import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from '../../src/model/closest-match.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1],
    ['abc', 'ab', 1],
    ['abc', 'acb', 1], // a swap of neighbours counts once
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%j → %j is %d', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestMatch', () => {
  const keys = ['name', 'description', 'sets', 'read', 'write', 'expiresIn', 'expiresAt'];
  it.each([
    ['descripton', 'description'],
    ['Description', 'description'],
    ['raed', 'read'],
    ['expiresin', 'expiresIn'],
    ['writes', 'write'],
  ])('%j → %j', (typed, expected) => {
    expect(closestMatch(typed, keys)).toBe(expected);
  });

  it('suggests nothing when nothing is close', () => {
    expect(closestMatch('colour', keys)).toBeUndefined();
    expect(closestMatch('x', ['abc'])).toBeUndefined();
  });

  it('never suggests the word itself', () => {
    expect(closestMatch('read', ['read'])).toBeUndefined();
  });
});
