import type { Plan, PlannedChange } from '../../plan/types.js';
import {
  count,
  expiryText,
  groupByTeam,
  humanText,
  permissionDiff,
  permissionsText,
  summaryLine,
} from './plan-words.js';

/**
 * The plan as a pull-request comment: a heading, the summary and a table of counts, one
 * table per team, unchanged tokens collapsed in `<details>`. Text from the cluster is escaped
 * so a description cannot break the table or inject markup.
 */
export function renderPlanMarkdown(plan: Plan, options: { showUnmanaged: boolean }): string {
  const { summary } = plan;
  const out = [
    '## provision plan',
    '',
    `**${summaryLine(summary)}**`,
    '',
    '| create | update | replace | revoke | unchanged | unmanaged | retiring |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${summary.create} | ${summary.update} | ${summary.replace} | ${summary.revoke} | ${summary.noop} | ${summary.unmanaged} | ${summary.retiring} |`,
    '',
    `Cluster \`${plan.target.clusterId}\` (account \`${plan.target.accountId}\`), manifest \`${escape(plan.manifest.file)}\`.`,
  ];
  for (const [team, changes] of groupByTeam(plan.changes.filter((c) => c.action !== 'no-op'))) {
    out.push('', team === null ? '### Tokens' : `### Team \`${team}\``, '');
    out.push('| | token | action | why | details |', '| --- | --- | --- | --- | --- |');
    for (const change of changes) out.push(row(change));
  }
  const unchanged = plan.changes.filter((c) => c.action === 'no-op');
  if (unchanged.length > 0) {
    out.push('', `<details><summary>${count(unchanged.length, 'token')} unchanged</summary>`, '');
    for (const change of unchanged) out.push(`- \`${change.name}\``);
    out.push('', '</details>');
  }
  if (plan.unmanaged.length > 0) {
    const title = `${count(plan.unmanaged.length, 'unmanaged token')} left alone`;
    if (options.showUnmanaged) {
      out.push('', `<details><summary>${title}</summary>`, '');
      for (const token of plan.unmanaged)
        out.push(`- \`${token.id}\` ${escape(token.description)}`);
      out.push('', '</details>');
    } else out.push('', `${title}.`);
  }
  if (plan.retiring.length > 0) {
    out.push('', `${count(plan.retiring.length, 'old token')} kept until the overlap ends:`, '');
    for (const token of plan.retiring)
      out.push(`- \`${token.name}\` \`${token.id}\` until ${token.retireAt}`);
  }
  if (plan.warnings.length > 0) {
    out.push('');
    for (const warning of plan.warnings) out.push(`> **Warning:** ${escape(warning)}`, '>');
    out.pop();
  }
  return `${out.join('\n')}\n`;
}

const SYMBOL = { create: '+', update: '~', replace: '-/+', revoke: '-', 'no-op': '' } as const;

function row(change: PlannedChange): string {
  const details: string[] = [];
  const { before, after } = change;
  if (change.action === 'create' && after !== null) {
    details.push(
      `permissions: ${permissionsText(after.permissions)}`,
      `expires: ${expiryText(after)}`,
    );
  }
  if (before !== null && after !== null && change.action !== 'no-op') {
    const { removed, added } = permissionDiff(before.permissions, after.permissions);
    details.push(...removed.map((p) => `− ${p}`), ...added.map((p) => `+ ${p}`));
    const oldText = humanText(before.description);
    const newText = humanText(after.description);
    if (oldText !== newText) details.push(`description: “${oldText}” → “${newText}”`);
  }
  if (change.action === 'replace' && after !== null) details.push(`expires: ${expiryText(after)}`);
  if (change.action === 'replace' && change.retireAt !== undefined) {
    details.push(`old token kept until ${change.retireAt}`);
  }
  if (change.action === 'revoke' && before !== null) details.push(`token ${before.id}`);
  const cells = [
    `\`${SYMBOL[change.action]}\``,
    `\`${change.name}\``,
    change.action,
    escape(change.reason),
    details.map(escape).join('<br>'),
  ];
  return `| ${cells.join(' | ')} |`;
}

// Table-safe, markup-free text: pipes, HTML and markdown punctuation are escaped, and
// control characters (from a description someone typed elsewhere) are dropped.
function escape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/[\\`*_[\]|<>#!~]/g, (ch) => `\\${ch}`)
      .replace(/&/g, '&amp;')
      .replace(/[\r\n]+/g, ' ')
  );
}
