import { describe, expect, it } from 'vitest';
import { renderPlanMarkdown } from '../../../src/cli/reporters/plan-markdown.js';
import { actual, desired, plan } from '../../plan/builders.js';
import { samplePlan } from './sample-plan.js';

describe('renderPlanMarkdown', () => {
  it('renders a pull-request comment', () => {
    expect(renderPlanMarkdown(samplePlan(), { showUnmanaged: true })).toBe(
      [
        '<!-- provision-plan -->',
        '## provision plan',
        '',
        '**Plan: 1 to create, 1 to update, 1 to replace, 1 to revoke.**',
        '',
        '| create | update | replace | revoke | unchanged | unmanaged | retiring |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| 1 | 1 | ⚠ 1 | ⚠ 1 | 1 | 1 | 1 |',
        '',
        'Cluster `22222222-2222-4222-8222-222222222222` (account `11111111-1111-4111-8111-111111111111`), manifest `tokens.yaml`.',
        '',
        '### Tokens',
        '',
        '| | token | action | why | details |',
        '| --- | --- | --- | --- | --- |',
        '| ⚠ `-` | `gone` | revoke | no longer in the manifest, and --prune is on | token id-4 |',
        '| `+` | `ingest` | create | not in the cluster | permissions: write:events, write:metrics<br>expires: 90d after creation |',
        '',
        '### Team `payments`',
        '',
        '| | token | action | why | details |',
        '| --- | --- | --- | --- | --- |',
        '| `~` | `pay-read` | update | renamed from pay-reader; description changed; permissions changed | − read:metrics<br>+ read:logs<br>description: “Payments readers” → “Payments \\| readers” |',
        '| ⚠ `-/+` | `pay-write` | replace | created 31d ago; rotateAfter is 30d | expires: never<br>old token kept until 2026-06-08T00:00:00Z |',
        '',
        '<details><summary>1 token unchanged</summary>',
        '',
        '- `same`',
        '',
        '</details>',
        '',
        '<details><summary>1 unmanaged token left alone</summary>',
        '',
        '- `id-5` hand-made \\<b\\>token\\</b\\>',
        '',
        '</details>',
        '',
        '1 old token kept until the overlap ends:',
        '',
        '- `same` `id-6` until 2026-06-05T00:00:00Z',
        '',
      ].join('\n'),
    );
  });

  it('has no colour codes, even from a description that holds some', () => {
    const plan = samplePlan();
    plan.unmanaged[0]!.description = 'red \u001b[31mtext\r\nnext | line';
    const text = renderPlanMarkdown(plan, { showUnmanaged: true });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/\u001b/);
    expect(text).toContain('- `id-5` red \\[31mtext next \\| line\n');
  });
});

/** `creates` new tokens over `teams` teams, and `revokes` managed tokens no longer declared. */
function bigPlan(creates: number, revokes: number, teams = 100) {
  const wanted = Array.from({ length: creates }, (_, i) =>
    desired(`team-${i % teams}-token-${i}`, { team: `team-${i % teams}` }),
  );
  const gone = Array.from({ length: revokes }, (_, i) => actual(`old-${i}`));
  return plan(wanted, gone, { prune: true }).plan;
}

describe('renderPlanMarkdown at scale', () => {
  it('condenses 10,000 changes into one comment: counts, teams, every revoke, a pointer to the artifact', () => {
    const text = renderPlanMarkdown(bigPlan(9_900, 100), { showUnmanaged: false });
    expect(text.length).toBeLessThan(65_536);
    expect(text.startsWith('<!-- provision-plan -->\n## provision plan\n')).toBe(true);
    expect(text).toContain('**Plan: 9900 to create, 0 to update, 0 to replace, 100 to revoke.**');
    expect(text).toContain("**The full plan is in this workflow run's artifacts.**");
    expect(text).toContain('### Changes per team');
    expect(text).toContain('| `team-7` | 99 | 0 | 0 | 0 |');
    expect(text).toContain('### ⚠ Revokes and replaces (100)');
    // Every destructive change is there, and no create is listed one by one.
    for (let i = 0; i < 100; i += 1) expect(text).toContain(`| ⚠ \`-\` | \`old-${i}\` |`);
    expect(text).not.toContain('team-7-token-7`');
  });

  it('cuts destructive rows that cannot fit, and says how many are left out', () => {
    const text = renderPlanMarkdown(bigPlan(10, 10_000, 2), { showUnmanaged: false });
    expect(text.length).toBeLessThan(65_536);
    expect(text).toContain('### ⚠ Revokes and replaces (10000)');
    expect(text).toMatch(
      /\n… and \d+ more revokes and replaces, listed in the full plan \(artifact\)\.\n/,
    );
  });

  it('keeps the full form while it fits', () => {
    const text = renderPlanMarkdown(bigPlan(60, 0), { showUnmanaged: false });
    expect(text).not.toContain('too many for one comment');
    expect(text).toContain('### Team `team-7`');
  });
});
