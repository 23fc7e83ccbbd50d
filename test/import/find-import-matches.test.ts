import { describe, expect, it } from 'vitest';
import { findImportMatches } from '../../src/import/find-import-matches.js';
import { actual, desired } from '../plan/builders.js';

const names = (result: ReturnType<typeof findImportMatches>) => ({
  proposals: result.proposals.map((p) => `${p.name}<-${p.token.id}`),
  ambiguous: result.ambiguous.map((a) => `${a.name}: ${a.reason}: ${a.tokenIds.join(',')}`),
});

describe('findImportMatches', () => {
  it('proposes an unmanaged token whose description and permission set match a missing token', () => {
    const token = actual(null, {
      description: 'ingest token',
      permissions: ['write:logs', 'read:logs', 'read:logs'],
    });
    const result = findImportMatches(
      [
        desired('ingest', {
          description: 'ingest token',
          permissions: ['read:logs', 'write:logs'],
        }),
      ],
      [token],
    );
    expect(names(result)).toEqual({ proposals: [`ingest<-${token.id}`], ambiguous: [] });
  });

  it.each([
    ['another description', 'Ingest token', ['read:logs']],
    ['fewer permissions', 'ingest token', []],
    ['more permissions', 'ingest token', ['read:logs', 'read:metrics']],
    ['another action', 'ingest token', ['write:logs']],
    ['a wildcard for a named database', 'ingest token', ['read:*']],
  ])('does not match on %s', (_, description, permissions) => {
    const token = actual(null, { description, permissions });
    const result = findImportMatches(
      [desired('ingest', { description: 'ingest token', permissions: ['read:logs'] })],
      [token],
    );
    expect(names(result)).toEqual({ proposals: [], ambiguous: [] });
  });

  it('ignores revoked and managed tokens, and declared tokens that are present', () => {
    const present = actual('present', { permissions: ['read:logs'] });
    const result = findImportMatches(
      [
        desired('present', { description: 'same', permissions: ['read:logs'] }),
        desired('missing', { description: 'same', permissions: ['read:metrics'] }),
      ],
      [
        present,
        actual(null, { description: 'same', permissions: ['read:logs'] }),
        actual(null, {
          description: 'same',
          permissions: ['read:metrics'],
          revokedAt: '2026-05-02T00:00:00Z',
        }),
        actual('other', { human: 'same', permissions: ['read:metrics'] }),
      ],
    );
    expect(names(result)).toEqual({ proposals: [], ambiguous: [] });
  });

  it('a previous name held by a live token makes the declared token present', () => {
    const result = findImportMatches(
      [desired('new-name', { description: 'd', previousNames: ['old-name'] })],
      [actual('old-name'), actual(null, { description: 'd' })],
    );
    expect(result.proposals).toEqual([]);
  });

  it('imports neither of two tokens that match one name, and proposes the rest', () => {
    const a = actual(null, { description: 'twice' });
    const b = actual(null, { description: 'twice' });
    const c = actual(null, { description: 'once' });
    const result = findImportMatches(
      [desired('twice', { description: 'twice' }), desired('once', { description: 'once' })],
      [b, c, a],
    );
    expect(names(result)).toEqual({
      proposals: [`once<-${c.id}`],
      ambiguous: [`twice: 2 unmanaged tokens match it: ${a.id},${b.id}`],
    });
  });

  it('a token that matches two declared names is imported under neither', () => {
    const token = actual(null, { description: 'same' });
    const result = findImportMatches(
      [desired('b-name', { description: 'same' }), desired('a-name', { description: 'same' })],
      [token],
    );
    expect(names(result)).toEqual({
      proposals: [],
      ambiguous: [
        `a-name: the matching token also matches b-name: ${token.id}`,
        `b-name: the matching token also matches a-name: ${token.id}`,
      ],
    });
  });
});
