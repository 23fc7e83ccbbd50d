import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/format-issue.js';
import { validateManifestText } from '../../src/manifest/load-manifest.js';
import type { ExpandedManifest } from '../../src/manifest/types.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY_NS = 86_400 * 1e9;

function expand(text: string): ExpandedManifest {
  const result = validateManifestText(text, 'tokens.yaml', { now: NOW });
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.manifest!;
}

describe('declared databases', () => {
  const manifest = expand(`version: 1
defaults:
  database: { retentionPeriod: 30d, maxTables: 100 }
databases:
  - name: platform_metrics
    retentionPeriod: infinite
  - name: '{team}_prod'
    retentionPeriod: 365d
    partitionTemplate:
      - { type: time, value: '%Y-%m' }
      - { type: bucket, value: { tagName: host, numberOfBuckets: 10 } }
  - name: '{team}_canary'
    teams: [search]
teams:
  - name: payments
    databases: [payments_ledger, { name: payments_archive, maxColumnsPerTable: 50 }]
  - name: search
templates:
  - name: '{team}-{database}-writer'
    per: database
    write: ['{database}']
`);

  it('expands top-level entries ({team} ones per team), then teams own, with defaults filled in', () => {
    expect(
      manifest.databases.map((d) => [d.name, d.team, d.settings, d.retentionText ?? null]),
    ).toEqual([
      ['platform_metrics', null, { retentionPeriod: 0, maxTables: 100 }, 'infinite'],
      [
        'payments_prod',
        'payments',
        {
          retentionPeriod: 365 * DAY_NS,
          maxTables: 100,
          partitionTemplate: [
            { type: 'time', value: '%Y-%m' },
            { type: 'bucket', value: { tagName: 'host', numberOfBuckets: 10 } },
          ],
        },
        '365d',
      ],
      ['search_prod', 'search', expect.objectContaining({ retentionPeriod: 365 * DAY_NS }), '365d'],
      ['search_canary', 'search', { retentionPeriod: 30 * DAY_NS, maxTables: 100 }, '30d'],
      ['payments_ledger', 'payments', { retentionPeriod: 30 * DAY_NS, maxTables: 100 }, '30d'],
      [
        'payments_archive',
        'payments',
        { retentionPeriod: 30 * DAY_NS, maxTables: 100, maxColumnsPerTable: 50 },
        '30d',
      ],
    ]);
    // Nanoseconds stay exact in a double: whole seconds times 10^9.
    expect(Number.isInteger(manifest.databases[1]!.settings.retentionPeriod)).toBe(true);
  });

  it('gives {database} every team database, its own and the {team} entries for it', () => {
    expect(manifest.tokens.map((t) => t.name)).toEqual([
      'payments-payments_ledger-writer',
      'payments-payments_archive-writer',
      'payments-payments_prod-writer',
      'search-search_prod-writer',
      'search-search_canary-writer',
    ]);
  });

  it('leaves settings out that nothing declares, and keeps a bare team database valid', () => {
    const bare = expand(`version: 1
teams:
  - name: payments
    databases: [payments_prod]
`);
    expect(bare.databases).toEqual([
      {
        name: 'payments_prod',
        team: 'payments',
        settings: {},
        source: { file: 'tokens.yaml', line: 4, column: 17 },
      },
    ]);
  });
});
