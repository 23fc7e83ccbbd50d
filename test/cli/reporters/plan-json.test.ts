import { describe, expect, it } from 'vitest';
import { renderPlanJson } from '../../../src/cli/reporters/plan-json.js';
import { samplePlan } from './sample-plan.js';

describe('renderPlanJson', () => {
  it('prints the documented format with a stable key order', () => {
    const plan = samplePlan();
    const text = renderPlanJson(plan);
    // The same plan, with the summary's no-op count spelt as everywhere else.
    const { noop, databases, ...counts } = plan.summary;
    const { noop: databaseNoop, ...databaseCounts } = databases;
    expect(JSON.parse(text)).toEqual({
      ...plan,
      summary: {
        ...counts,
        'no-op': noop,
        databases: { ...databaseCounts, 'no-op': databaseNoop },
      },
    });
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'formatVersion',
      'createdAt',
      'target',
      'manifest',
      'cluster',
      'options',
      'summary',
      'databases',
      'changes',
      'unmanaged',
      'unmanagedDatabases',
      'retiring',
      'warnings',
    ]);
    const change = (parsed.changes as Record<string, unknown>[])[1]!;
    expect(Object.keys(change)).toEqual([
      'name',
      'team',
      'action',
      'actions',
      'reasonCode',
      'reason',
      'before',
      'after',
      'source',
    ]);
    // Rebuilt with keys in another order, the output is byte-identical.
    const shuffled = Object.fromEntries(Object.entries(plan).reverse()) as typeof plan;
    expect(renderPlanJson(shuffled)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });
});
