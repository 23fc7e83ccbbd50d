import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Permission } from '../../src/model/index.js';
import { normalisePermissions } from '../../src/manifest/normalise-permissions.js';

const r = (resource: string): Permission => ({ action: 'read', resource });
const w = (resource: string): Permission => ({ action: 'write', resource });

describe('normalisePermissions', () => {
  it.each<[string, Permission[], Permission[]]>([
    ['empty', [], []],
    [
      'sorts by action then resource',
      [w('b'), r('b'), w('a'), r('a')],
      [r('a'), r('b'), w('a'), w('b')],
    ],
    ['removes duplicates', [r('a'), r('a'), w('a'), w('a')], [r('a'), w('a')]],
    [
      '"*" subsumes named databases of the same action',
      [r('a'), r('*'), r('b'), w('a')],
      [r('*'), w('a')],
    ],
    ['"*" does not subsume the other action', [w('*'), r('a')], [r('a'), w('*')]],
    [
      'code-unit order, not locale order',
      [r('b'), r('B'), r('_'), r('a')],
      [r('B'), r('_'), r('a'), r('b')],
    ],
  ])('%s', (_name, input, expected) => {
    expect(normalisePermissions(input)).toEqual(expected);
  });

  it('accepts any action string the API returns, without throwing', () => {
    const odd = [{ action: 'admin', resource: 'x' }, r('a')] as unknown as Permission[];
    expect(normalisePermissions(odd)).toEqual([{ action: 'admin', resource: 'x' }, r('a')]);
  });

  it('does not modify its input', () => {
    const input = [w('b'), r('a')];
    normalisePermissions(input);
    expect(input).toEqual([w('b'), r('a')]);
  });

  const permission = fc.record({
    action: fc.constantFrom('read', 'write', 'other'),
    resource: fc.oneof(fc.constantFrom('*', 'a', 'b', 'A'), fc.string({ maxLength: 4 })),
  }) as fc.Arbitrary<Permission>;

  it('is idempotent and ignores order and repetition', () => {
    fc.assert(
      fc.property(fc.array(permission, { maxLength: 12 }), (perms) => {
        const once = normalisePermissions(perms);
        expect(normalisePermissions(once)).toEqual(once);
        expect(normalisePermissions([...perms].reverse())).toEqual(once);
        expect(normalisePermissions([...perms, ...perms])).toEqual(once);
      }),
    );
  });

  it('grants exactly the same access', () => {
    const allows = (perms: Permission[], action: string, resource: string): boolean =>
      perms.some((p) => p.action === action && (p.resource === resource || p.resource === '*'));
    fc.assert(
      fc.property(
        fc.array(permission, { maxLength: 12 }),
        fc.constantFrom('read', 'write', 'other'),
        fc.constantFrom('a', 'b', 'A', 'z'),
        (perms, action, resource) => {
          expect(allows(normalisePermissions(perms), action, resource)).toBe(
            allows(perms, action, resource),
          );
        },
      ),
    );
  });
});
