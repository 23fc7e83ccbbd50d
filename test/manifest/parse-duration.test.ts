import { describe, expect, it } from 'vitest';
import { isZeroDuration, parseDuration } from '../../src/manifest/parse-duration.js';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['30s', 30 * S],
    ['15m', 15 * M],
    ['12h', 12 * H],
    ['90d', 90 * D],
    ['2w', 14 * D],
    ['1d12h', D + 12 * H],
    ['1w2d3h4m5s', 9 * D + 3 * H + 4 * M + 5 * S],
    ['36500d', 36_500 * D],
    ['007d', 7 * D],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toEqual({ text, ms });
  });

  it.each([
    '',
    '90',
    'd',
    '90 d',
    '90D',
    '1.5d',
    '-1d',
    '12h1d', // units largest first
    '1d1d',
    '0d',
    '0h0m',
    '36501d', // over 100 years
    '99999999999w',
    'never',
    ' 90d',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('recognises well-formed zero durations', () => {
    expect(isZeroDuration('0s')).toBe(true);
    expect(isZeroDuration('0d0h')).toBe(true);
    expect(isZeroDuration('1s')).toBe(false);
    expect(isZeroDuration('0')).toBe(false);
    expect(isZeroDuration('0h0d')).toBe(false);
  });
});
