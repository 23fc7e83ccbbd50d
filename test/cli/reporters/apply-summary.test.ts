import { describe, expect, it } from 'vitest';
import type { ApplySummary, ChangeResult } from '../../../src/apply/types.js';
import { renderApplySummary, renderSealedLine } from '../../../src/cli/reporters/apply-summary.js';
import { summariseResults } from '../../../src/apply/summarise-results.js';

function created(team: string, i: number): ChangeResult {
  return {
    name: `${team}-${i}`,
    team,
    action: 'create',
    status: 'done',
    tokenId: `id-${team}-${i}`,
    secretsFile: `secrets/${team}.sealed`,
  };
}

/** The same change with no string sealed (a failed or skipped one never seals). */
function unsealed(result: ChangeResult, status: ChangeResult['status']): ChangeResult {
  const { secretsFile: _notSealed, ...rest } = result;
  return { ...rest, status };
}

function summary(results: ChangeResult[], interrupted = false): ApplySummary {
  return summariseResults(results, {
    retries: 0,
    reconciliations: 0,
    interrupted,
    elapsedMs: 1_000,
  });
}

describe('renderApplySummary', () => {
  it('beyond 20 teams, lists only the teams with failures or skips, the rest in one row, and a total', () => {
    const results: ChangeResult[] = [];
    for (let t = 0; t < 100; t += 1)
      for (let i = 0; i < 10; i += 1) results.push(created(`t${t}`, i));
    results[5] = { ...unsealed(results[5]!, 'failed'), error: '500 Internal Server Error' };
    expect(renderApplySummary(summary(results))).toBe(
      [
        'team                        created  updated  replaced  revoked  failed',
        't0                                9        0         0        0       1',
        '(99 other teams, all done)      990        0         0        0       0',
        'total                           999        0         0        0       1',
        '',
        '1 failed:',
        '  create t0-5 (team t0): 500 Internal Server Error',
        '',
        'Apply incomplete: 999 created, 0 updated, 0 replaced, 0 revoked, 1 failed in 1.0 s.',
      ].join('\n'),
    );
  });

  it('counts never-started changes as skipped, not failed, when interrupted', () => {
    const results = [
      created('a', 1),
      unsealed(created('a', 2), 'skipped'),
      unsealed(created('b', 1), 'skipped'),
    ];
    expect(renderApplySummary(summary(results, true))).toBe(
      [
        'team                   created  updated  replaced  revoked  failed  skipped',
        'a                            1        0         0        0       0        1',
        '(1 team, not started)        0        0         0        0       0        1',
        'total                        1        0         0        0       0        2',
        '',
        'Interrupted: 2 changes were not started; run apply again to finish.',
        '',
        'Apply incomplete: 1 created, 0 updated, 0 replaced, 0 revoked, 0 failed, 2 skipped in 1.0 s.',
      ].join('\n'),
    );
  });
});

describe('renderSealedLine', () => {
  it('one line for every file written, only for strings really sealed', () => {
    const results = Array.from({ length: 26 }, (_, t) => created(`team${t}`, 0));
    results.push(unsealed(created('team0', 1), 'failed'));
    expect(renderSealedLine(results)).toBe(
      'Sealed 26 new token strings into 26 files under secrets/ (provision secrets list FILE shows what each holds).',
    );
    expect(renderSealedLine([created('a', 0)])).toBe(
      'Sealed 1 new token string into secrets/a.sealed.',
    );
    expect(renderSealedLine([])).toBeNull();
  });
});
