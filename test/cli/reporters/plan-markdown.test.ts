import { describe, expect, it } from 'vitest';
import { renderPlanMarkdown } from '../../../src/cli/reporters/plan-markdown.js';
import { samplePlan } from './sample-plan.js';

describe('renderPlanMarkdown', () => {
  it('renders a pull-request comment', () => {
    expect(renderPlanMarkdown(samplePlan(), { showUnmanaged: true })).toBe(
      [
        '## provision plan',
        '',
        '**Plan: 1 to create, 1 to update, 1 to replace, 1 to revoke.**',
        '',
        '| create | update | replace | revoke | unchanged | unmanaged | retiring |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        '| 1 | 1 | 1 | 1 | 1 | 1 | 1 |',
        '',
        'Cluster `22222222-2222-4222-8222-222222222222` (account `11111111-1111-4111-8111-111111111111`), manifest `tokens.yaml`.',
        '',
        '### Tokens',
        '',
        '| | token | action | why | details |',
        '| --- | --- | --- | --- | --- |',
        '| `-` | `gone` | revoke | no longer in the manifest, and --prune is on | token id-4 |',
        '| `+` | `ingest` | create | not in the cluster | permissions: write:events, write:metrics<br>expires: 90d after creation |',
        '',
        '### Team `payments`',
        '',
        '| | token | action | why | details |',
        '| --- | --- | --- | --- | --- |',
        '| `~` | `pay-read` | update | renamed from pay-reader; description changed; permissions changed | − read:metrics<br>+ read:logs<br>description: “Payments readers” → “Payments \\| readers” |',
        '| `-/+` | `pay-write` | replace | created 31d ago; rotateAfter is 30d | expires: never<br>old token kept until 2026-06-08T00:00:00Z |',
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
