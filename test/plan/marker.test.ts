import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMarker, withMarker, withRetireMarker } from '../../src/plan/marker.js';

describe('identity marker', () => {
  it.each([
    ['Ingest for payments', 'ingest', 'Ingest for payments [provision:ingest]'],
    ['', 'ingest', '[provision:ingest]'],
    [
      'ends like one [provision:other]',
      'x.y_z-1',
      'ends like one [provision:other] [provision:x.y_z-1]',
    ],
  ])('withMarker(%j, %j) is %j and parses back', (human, name, description) => {
    expect(withMarker(human, name)).toBe(description);
    expect(parseMarker(description)).toEqual({ name, human });
  });

  it('writes and reads the retire marker in UTC seconds', () => {
    const description = withRetireMarker('Ingest', 'ingest', '2026-06-08T02:00:00.750+02:00');
    expect(description).toBe('Ingest [provision:ingest retire=2026-06-08T00:00:00Z]');
    expect(parseMarker(description)).toEqual({
      name: 'ingest',
      human: 'Ingest',
      retireAt: '2026-06-08T00:00:00Z',
    });
    expect(parseMarker('[provision:a retire=2026-01-01T00:00:00Z]')).toEqual({
      name: 'a',
      human: '',
      retireAt: '2026-01-01T00:00:00Z',
    });
  });

  it.each([
    'hand-made token',
    'Ingest [provision:ingest] and more',
    'Ingest [provision:Ingest]',
    'Ingest[provision:ingest]',
    'Ingest [provision:-bad]',
    `x [provision:${'a'.repeat(65)}]`,
    'x [provision:a retire=2026-02-30T00:00:00Z]',
    'x [provision:a retire=2026-01-01T00:00:00.000Z]',
    'x [provision:a retire=soon]',
    'x [provision:]',
  ])('%j is unmanaged', (description) => {
    expect(parseMarker(description)).toBeNull();
  });

  it('accepts the longest name and refuses to write a bad one', () => {
    expect(parseMarker(`[provision:${'a'.repeat(64)}]`)?.name).toBe('a'.repeat(64));
    expect(() => withMarker('x', 'Bad')).toThrow(RangeError);
  });

  it('round-trips any human text and name', () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,63}$/);
    fc.assert(
      fc.property(fc.string(), name, (human, tokenName) => {
        expect(parseMarker(withMarker(human, tokenName))).toEqual({ name: tokenName, human });
      }),
    );
  });
});
