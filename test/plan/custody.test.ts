import { describe, expect, it } from 'vitest';
import type { DatabaseToken } from '../../src/model/index.js';
import { chooseKeeper } from '../../src/plan/choose-keeper.js';
import { findLostSecrets } from '../../src/plan/find-lost-secrets.js';
import { actual, DAY, desired, duration, NOW, plan } from './builders.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const ago = (ms: number): string => iso(NOW.getTime() - ms);
const summary = (changes: { name: string; action: string; reasonCode: string }[]) =>
  changes.map((c) => `${c.name} ${c.action} ${c.reasonCode}`);

describe('chooseKeeper: custody decides identity', () => {
  const byId = (token: DatabaseToken): DatabaseToken => token;
  const sealedOld = actual('grafana', { createdAt: ago(30 * DAY) });
  const handMade = actual('grafana', { createdAt: ago(DAY) });

  it.each([
    ['a held token beats a newer unheld one', [handMade, sealedOld], [sealedOld.id], sealedOld],
    ['without evidence, the newest is kept', [sealedOld, handMade], [], handMade],
    [
      'between held tokens, the newest is kept',
      [sealedOld, handMade],
      [sealedOld.id, handMade.id],
      handMade,
    ],
  ])('%s', (_what, group, sealed, expected) => {
    const held = new Set(sealed);
    const choice = chooseKeeper(group, byId, (t) => held.has(t.id));
    expect(choice.keeper?.id).toBe(expected.id);
    expect(choice.extra).toHaveLength(group.length - 1);
  });

  it('a tie in whole seconds never favours the unheld token, whatever the ids', () => {
    const at = '2026-05-31T12:00:00.000Z';
    for (const [low, high] of [
      ['aaaaaaaa-0000-4000-8000-000000000001', 'ffffffff-0000-4000-8000-000000000001'],
      ['ffffffff-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000001'],
    ] as const) {
      const sealed = actual('ingest', { id: low, createdAt: at });
      const stray = actual('ingest', { id: high, createdAt: at });
      const choice = chooseKeeper([stray, sealed], byId, (t) => t.id === sealed.id);
      expect(choice).toMatchObject({ keeper: sealed, keeperHeld: true, extra: [stray] });
    }
  });

  it('a tie among tokens of equal custody falls to the greater id, in any input order', () => {
    const at = '2026-05-31T12:00:00.000Z';
    const a = actual('ingest', { id: 'aaaaaaaa-0000-4000-8000-000000000001', createdAt: at });
    const b = actual('ingest', { id: 'bbbbbbbb-0000-4000-8000-000000000001', createdAt: at });
    expect(chooseKeeper([a, b], byId, () => true).keeper).toBe(b);
    expect(chooseKeeper([b, a], byId, () => true).keeper).toBe(b);
    expect(chooseKeeper([a, b], byId, () => false)).toMatchObject({ keeper: b, keeperHeld: false });
  });
});

describe('computePlan with sealed evidence', () => {
  it('finding 1: a hand-made token carrying the marker is revoked, the sealed one kept', () => {
    const sealed = actual('grafana', { createdAt: ago(30 * DAY) });
    const handMade = actual('grafana', { createdAt: ago(DAY) });
    const { plan: result } = plan([desired('grafana')], [sealed, handMade], {
      sealedTokenIds: [sealed.id],
    });
    const revoked = result.changes.filter((c) => c.action === 'revoke');
    expect(revoked.map((c) => c.before?.id)).toEqual([handMade.id]);
    expect(revoked[0]?.reason).toBe(
      '2 tokens claim name grafana; keeping the one whose string is sealed, revoking 1',
    );
    expect(result.changes.find((c) => c.action === 'no-op')?.before?.id).toBe(sealed.id);
  });

  it('a lost token beside a sealed one is a duplicate, not a reason to rotate the sealed one', () => {
    const sealed = actual('ingest', { createdAt: ago(DAY) });
    const lost = actual('ingest', { createdAt: ago(60_000) });
    const { plan: result } = plan([desired('ingest')], [sealed, lost], {
      sealedTokenIds: [sealed.id],
      lostSecretIds: [lost.id],
    });
    expect(summary(result.changes).sort()).toEqual([
      'ingest no-op unchanged',
      'ingest revoke duplicate',
    ]);
    expect(result.changes.find((c) => c.action === 'revoke')?.before?.id).toBe(lost.id);
  });

  describe('finding 4: a rotation under overlap cut short between the seal and the retire', () => {
    const overlap = { overlap: duration('7d') };
    const old = actual('ingest', { createdAt: ago(30 * DAY) });
    const rotated = actual('ingest', { createdAt: ago(3 * 60_000) });

    it('retires the old sealed token for its overlap, counted from its successor', () => {
      const { plan: result, problems } = plan([desired('ingest', overlap)], [old, rotated], {
        sealedTokenIds: [old.id, rotated.id],
      });
      expect(problems).toEqual([]);
      expect(summary(result.changes).sort()).toEqual([
        'ingest no-op unchanged',
        'ingest update rotation-interrupted',
      ]);
      const retire = result.changes.find((c) => c.action === 'update');
      const retireAt = iso(Date.parse(rotated.createdAt) + 7 * DAY);
      expect(retire?.before?.id).toBe(old.id);
      expect(retire?.patch).toEqual({
        description: `ingest token [provision:ingest retire=${retireAt}]`,
      });
      expect(retire?.reason).toContain(retireAt);
      expect(result.changes.some((c) => c.action === 'revoke')).toBe(false);
    });

    it('and a re-run with --replace rotates again without revoking either', () => {
      const { plan: result } = plan([desired('ingest', overlap)], [old, rotated], {
        sealedTokenIds: [old.id, rotated.id],
        replace: ['ingest'],
      });
      expect(summary(result.changes).sort()).toEqual([
        'ingest replace replace-requested',
        'ingest update rotation-interrupted',
      ]);
      expect(result.changes.find((c) => c.action === 'replace')?.retireAt).toBeDefined();
    });

    it('revokes it when that overlap has already ended', () => {
      const longAgo = actual('ingest', { createdAt: ago(20 * DAY) });
      const { plan: result } = plan([desired('ingest', overlap)], [old, longAgo], {
        sealedTokenIds: [old.id, longAgo.id],
      });
      expect(summary(result.changes).sort()).toEqual([
        'ingest no-op unchanged',
        'ingest revoke overlap-ended',
      ]);
    });

    it('without an overlap in the manifest the older sealed token is a duplicate', () => {
      const { plan: result } = plan([desired('ingest')], [old, rotated], {
        sealedTokenIds: [old.id, rotated.id],
      });
      expect(summary(result.changes).sort()).toEqual([
        'ingest no-op unchanged',
        'ingest revoke duplicate',
      ]);
    });

    it('an unsealed newer token (killed before the seal) is revoked, the sealed old one kept', () => {
      const { plan: result } = plan([desired('ingest', overlap)], [old, rotated], {
        sealedTokenIds: [old.id],
        lostSecretIds: [rotated.id],
      });
      expect(result.changes.find((c) => c.action === 'revoke')?.before?.id).toBe(rotated.id);
      expect(result.changes.find((c) => c.action === 'no-op')?.before?.id).toBe(old.id);
    });
  });

  it('200,000 tokens of one name neither overflow the stack nor keep an unsealed one', () => {
    const many: DatabaseToken[] = [];
    for (let i = 0; i < 200_000; i += 1) {
      many.push(actual('flood', { createdAt: iso(NOW.getTime() - DAY + i * 100) }));
    }
    const sealed = actual('flood', { createdAt: ago(2 * DAY) });
    many.push(sealed);
    const { plan: result } = plan([desired('flood')], many, { sealedTokenIds: [sealed.id] });
    expect(result.changes).toHaveLength(200_001);
    expect(result.changes.find((c) => c.action === 'no-op')?.before?.id).toBe(sealed.id);
  });
});

describe('finding 5: an intent claims only tokens its own create could have made', () => {
  const intentAt = '2026-05-01T10:00:00Z';
  const index = (sealed: string[] = []) => ({
    sealedTokenIds: new Set(sealed),
    unresolvedIntents: [{ name: 'ingest', at: intentAt }],
  });

  it.each([
    ['created by the create right after the intent', '2026-05-01T10:00:01Z', true],
    [
      'created a day after the intent (by someone else, then imported)',
      '2026-05-02T10:00:00Z',
      false,
    ],
    ['created an hour after the intent', '2026-05-01T11:00:00Z', false],
    ['created long before the intent', '2026-04-01T10:00:00Z', false],
  ])('a token %s', (_what, createdAt, lost) => {
    const token = actual('ingest', { createdAt });
    expect(findLostSecrets(index(), [token])).toEqual(lost ? [token.id] : []);
  });
});
