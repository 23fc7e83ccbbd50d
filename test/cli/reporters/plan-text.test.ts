import { describe, expect, it } from 'vitest';
import { renderPlanText } from '../../../src/cli/reporters/plan-text.js';
import { actual, desired, plan } from '../../plan/builders.js';
import { samplePlan } from './sample-plan.js';

describe('renderPlanText', () => {
  it('prints a Terraform-like plan grouped by team, ending with the summary', () => {
    expect(renderPlanText(samplePlan(), { color: false, showUnmanaged: false })).toBe(
      [
        'Cluster 22222222-2222-4222-8222-222222222222 (account 11111111-1111-4111-8111-111111111111), manifest tokens.yaml',
        '',
        '  - gone (no longer in the manifest, and --prune is on)',
        '      token id-4: "old \\"quoted\\"\\u001b[31m"',
        '  + ingest',
        '      description: "ingest token"',
        '      permissions: write:events, write:metrics',
        '      expires: 90d after creation',
        '',
        '# team payments',
        '  ~ pay-read (moved from pay-reader)',
        '      description: "Payments readers" → "Payments | readers"',
        '      permissions:',
        '        - read:metrics',
        '        + read:logs',
        '-/+ pay-write (created 31d ago; rotateAfter is 30d)',
        '      expires: never',
        '      old token id-2: kept until 2026-06-08T00:00:00Z',
        '',
        '1 token unchanged.',
        '1 unmanaged token left alone (--show-unmanaged lists it).',
        '1 old token kept until the overlap ends:',
        '    same id-6 until 2026-06-05T00:00:00Z',
        '',
        'Plan: 1 to create, 1 to update, 1 to replace, 1 to revoke.',
        '',
      ].join('\n'),
    );
  });

  it('lists unmanaged tokens on request', () => {
    const text = renderPlanText(samplePlan(), { color: false, showUnmanaged: true });
    expect(text).toContain('1 unmanaged token left alone:\n    id-5 "hand-made <b>token</b>"\n');
  });

  it('says "No changes." when there are none, without claiming a match a warning above denies', () => {
    const result = plan([desired('a')], [actual('a'), actual('b')]).plan;
    expect(renderPlanText(result, { color: false, showUnmanaged: false })).toBe(
      [
        'Cluster 22222222-2222-4222-8222-222222222222 (account 11111111-1111-4111-8111-111111111111), manifest tokens.yaml',
        '',
        '1 token unchanged.',
        'warning: 1 managed token is no longer in the manifest; run with --prune to revoke them: b',
        '',
        'No changes to apply; see the warning above.',
        '',
      ].join('\n'),
    );
  });

  it('writes escape codes only when colour is asked for', () => {
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    const plain = renderPlanText(samplePlan(), { color: false, showUnmanaged: true });
    expect(plain.replace('\\u001b', '')).not.toMatch(ansi);
    expect(renderPlanText(samplePlan(), { color: true, showUnmanaged: false })).toMatch(ansi);
  });
});
