import { describe, expect, it } from 'vitest';
import {
  computeRetryDelay,
  parseRetryAfter,
  resolveRetryOptions,
} from '../../src/api/retry-policy.js';

const options = resolveRetryOptions({
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 5_000,
});

describe('computeRetryDelay', () => {
  it.each([
    // attempt, random, Retry-After ms, expected
    [1, 1, undefined, 100],
    [2, 1, undefined, 200],
    [3, 0.5, undefined, 200],
    [5, 1, undefined, 1_000], // 100·2^4 = 1600, capped at maxDelayMs
    [9, 0.25, undefined, 250],
    [1, 0, undefined, 0], // full jitter may retry at once
    [1, 1, 2_000, 2_000], // Retry-After is a floor above the backoff
    [5, 1, 500, 1_000], // the backoff wins when it is longer
    [1, 0, 3_600_000, 5_000], // an absurd Retry-After is capped
  ])('attempt %i, random %f, Retry-After %s → %i ms', (attempt, random, retryAfter, expected) => {
    expect(computeRetryDelay(attempt, options, retryAfter, () => random)).toBe(expected);
  });

  it('fills defaults and clamps negative settings', () => {
    expect(resolveRetryOptions()).toEqual({
      limit: 5,
      baseDelayMs: 250,
      maxDelayMs: 10_000,
      maxRetryAfterMs: 30_000,
      budgetMs: 60_000,
    });
    expect(resolveRetryOptions({ limit: -3, baseDelayMs: -1 })).toMatchObject({
      limit: 0,
      baseDelayMs: 0,
    });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  it.each([
    [null, undefined],
    ['', undefined],
    ['0', 0],
    ['1', 1_000],
    [' 120 ', 120_000],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['Sun, 01 Jun 2025 12:00:30 GMT', 30_000],
    ['Sun, 01 Jun 2025 11:00:00 GMT', 0], // a date in the past means "now"
  ])('%j → %s', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
