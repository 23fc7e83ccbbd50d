import { describeTarget } from './describe-target.js';
import { describeWarning } from './describe-warning.js';
import { addSummaries } from '../../plan/index.js';
import type { Plan, PlannedChange } from '../../plan/index.js';
import { renderDatabaseMarkdown } from './plan-databases-markdown.js';
import {
  count,
  countByTeam,
  expiryText,
  groupByTeam,
  humanText,
  isDestructive,
  permissionDiff,
  permissionsText,
  summaryLine,
  totalLine,
} from './plan-words.js';

/** The first line of every comment, so a sticky-comment action finds and replaces it. */
export const PLAN_COMMENT_MARKER = '<!-- provision-plan -->';

/**
 * GitHub refuses comments over 65,536 characters; the condensed form starts above this, and
 * keeps itself under it by cutting rows, leaving room for the marker and the closing lines.
 */
export const MARKDOWN_BUDGET = 60_000;

/**
 * The plan as a pull-request comment: a hidden marker, a heading, the summary and a table of
 * counts, one table per team, unchanged tokens collapsed in `<details>`, and ⚠ on every
 * revoke and replace. When that would not fit in a comment, a condensed form: the counts, a
 * table per team, and every revoke and replace (as many as fit; the rest are counted), with a
 * line saying the full plan is in the workflow's artifact. Text from the cluster is escaped so
 * a description cannot break the table or inject markup.
 */
export function renderPlanMarkdown(
  plan: Plan,
  options: { showUnmanaged: boolean },
  budget = MARKDOWN_BUDGET,
): string {
  const full = renderFull(plan, options);
  return full.length <= budget ? full : renderCondensed(plan, budget);
}

/**
 * The plans of a `clusters:` manifest in one comment: the total and a row per cluster
 * first, then each cluster's plan as above under its name, sharing the comment's budget.
 */
export function renderPlanSetMarkdown(
  plans: readonly Plan[],
  options: { showUnmanaged: boolean },
): string {
  const total = addSummaries(plans.map((plan) => plan.summary));
  const warningCount = plans.reduce((sum, plan) => sum + plan.warnings.length, 0);
  const out = [
    PLAN_COMMENT_MARKER,
    '## provision plan',
    '',
    `**${totalLine(total, plans.length, warningCount)}**`,
    '',
    '| cluster | create | update | replace | revoke | unchanged | databases to create | databases to update |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const plan of plans) {
    const { summary } = plan;
    out.push(
      `| \`${escape(plan.clusterName ?? '')}\` | ${summary.create} | ${summary.update} | ${summary.replace > 0 ? '⚠ ' : ''}${summary.replace} | ${summary.revoke > 0 ? '⚠ ' : ''}${summary.revoke} | ${summary.noop} | ${summary.databases.create} | ${summary.databases.update} |`,
    );
  }
  const share = Math.floor((MARKDOWN_BUDGET - out.join('\n').length) / Math.max(1, plans.length));
  for (const plan of plans) {
    const section = renderPlanMarkdown(plan, options, share)
      .replace(`${PLAN_COMMENT_MARKER}\n`, '')
      .replace('## provision plan', `## Cluster \`${escape(plan.clusterName ?? '')}\``);
    out.push('', section.trimEnd());
  }
  return `${out.join('\n')}\n`;
}

function renderFull(plan: Plan, options: { showUnmanaged: boolean }): string {
  const out = header(plan);
  out.push(...renderDatabaseMarkdown(plan, options.showUnmanaged, escape));
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
  out.push(...warnings(plan));
  return `${out.join('\n')}\n`;
}

function renderCondensed(plan: Plan, budget: number): string {
  const pending = plan.changes.filter((c) => c.action !== 'no-op');
  const destructive = pending.filter(isDestructive);
  const out = header(plan);
  out.push(
    '',
    `> This plan has ${count(pending.length, 'change')}, too many for one comment: here are the counts per team and every revoke and replace. **The full plan is in this workflow run's artifacts.**`,
  );
  out.push(...renderDatabaseMarkdown(plan, false, escape));
  const tail = warnings(plan, 2_000);
  let used = out.join('\n').length + tail.join('\n').length + 400;
  const fits = (line: string): boolean => {
    if (used + line.length + 1 > budget) return false;
    used += line.length + 1;
    return true;
  };

  const teamLines = [
    '',
    '### Changes per team',
    '',
    '| team | create | update | replace | revoke |',
  ];
  teamLines.push('| --- | ---: | ---: | ---: | ---: |');
  // Destructive rows come first in the budget: they are what a reviewer must not miss.
  const destructiveLines = [
    '',
    `### ⚠ Revokes and replaces (${destructive.length})`,
    '',
    '| | token | team | action | why | details |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const line of destructiveLines) fits(line);
  let cut = 0;
  for (const change of destructive) {
    const line = row(change, true);
    if (cut > 0 || !fits(line)) cut += 1;
    else destructiveLines.push(line);
  }
  for (const line of teamLines) fits(line);
  const teams = countByTeam(pending);
  let teamsCut = 0;
  for (const t of teams) {
    const mark = t.replace + t.revoke > 0 ? '⚠ ' : '';
    const line = `| ${mark}${t.team === null ? '(no team)' : `\`${t.team}\``} | ${t.create} | ${t.update} | ${t.replace} | ${t.revoke} |`;
    if (teamsCut > 0 || !fits(line)) teamsCut += 1;
    else teamLines.push(line);
  }
  if (teamsCut > 0) teamLines.push('', `… and ${count(teamsCut, 'more team')}, in the artifact.`);
  out.push(...teamLines);
  if (destructive.length > 0) {
    out.push(...destructiveLines);
    if (cut > 0) {
      out.push('', `… and ${cut} more revokes and replaces, listed in the full plan (artifact).`);
    }
  }
  out.push(...tail);
  return `${out.join('\n')}\n`;
}

function header(plan: Plan): string[] {
  const { summary } = plan;
  return [
    PLAN_COMMENT_MARKER,
    '## provision plan',
    '',
    `**${summaryLine(summary, plan.warnings.length, 'below')}**`,
    '',
    '| create | update | replace | revoke | unchanged | unmanaged | retiring |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${summary.create} | ${summary.update} | ${summary.replace > 0 ? '⚠ ' : ''}${summary.replace} | ${summary.revoke > 0 ? '⚠ ' : ''}${summary.revoke} | ${summary.noop} | ${summary.unmanaged} | ${summary.retiring} |`,
    '',
    `${describeTarget(plan.target, (value) => `\`${escape(value)}\``)}, manifest \`${escape(plan.manifest.file)}\`.`,
  ];
}

// A warning may list thousands of names; the condensed form keeps the start of each.
function warnings(plan: Plan, maxLength = Infinity): string[] {
  if (plan.warnings.length === 0) return [];
  const out = [''];
  for (const warning of plan.warnings) {
    const words = describeWarning(warning);
    const text = words.length > maxLength ? `${words.slice(0, maxLength)}… (cut)` : words;
    out.push(`> **Warning:** ${escape(text)}`, '>');
  }
  out.pop();
  return out;
}

const SYMBOL = { create: '+', update: '~', replace: '-/+', revoke: '-', 'no-op': '' } as const;

function row(change: PlannedChange, withTeam = false): string {
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
  if (change.deliverTo !== undefined) details.push(`delivered to: ${change.deliverTo.join(', ')}`);
  const cells = [
    `${isDestructive(change) ? '⚠ ' : ''}\`${SYMBOL[change.action]}\``,
    `\`${change.name}\``,
    ...(withTeam ? [change.team === null ? '' : `\`${change.team}\``] : []),
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
