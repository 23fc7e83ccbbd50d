import { describeTarget } from './describe-target.js';
import { describeWarning } from './describe-warning.js';
import { createColors } from 'picocolors';
import { addSummaries } from '../../plan/index.js';
import type { Plan, PlannedChange } from '../../plan/index.js';
import { databaseFootnotes } from './database-words.js';
import { renderDatabaseSection } from './plan-databases-text.js';
import {
  CONDENSE_ABOVE,
  count,
  countByTeam,
  expiryText,
  groupByTeam,
  headline,
  humanText,
  isDestructive,
  permissionDiff,
  permissionsText,
  summaryLine,
  totalLine,
  type TeamCounts,
} from './plan-words.js';

/** How to print a plan for people. */
export interface PlanTextOptions {
  /** ANSI colour; off means no escape code at all. */
  color: boolean;
  /** List every unmanaged token instead of counting them. */
  showUnmanaged: boolean;
  /** Every change in full, however many there are (else condensed above `CONDENSE_ABOVE`). */
  verbose?: boolean | undefined;
}

type Colors = ReturnType<typeof createColors>;

/**
 * A plan the way Terraform shows one: `+` create, `~` update, `-/+` replace, `-` revoke,
 * grouped by team, with the summary as the last line. Above `CONDENSE_ABOVE` changes (unless
 * `verbose`), a table of counts per team and only the destructive changes in full, so a
 * reviewer sees what would be lost instead of scrolling. Descriptions come from the cluster
 * and are printed JSON-quoted, so no control character in one can reach the terminal.
 */
export function renderPlanText(plan: Plan, options: PlanTextOptions): string {
  const c = createColors(options.color);
  const lines = [`${describeTarget(plan.target)}, manifest ${plan.manifest.file}`];
  if (plan.clusterName !== undefined) lines.unshift(c.bold(`=== cluster ${plan.clusterName} ===`));
  lines.push(...renderDatabaseSection(plan, options.color, options.verbose === true));
  const pending = plan.changes.filter((ch) => ch.action !== 'no-op');
  const condensed = options.verbose !== true && pending.length > CONDENSE_ABOVE;
  if (condensed) lines.push('', ...renderTeamTable(plan, pending));
  const shown = condensed ? pending.filter(isDestructive) : pending;
  if (condensed && shown.length > 0) {
    lines.push('', c.bold(`Every revoke and replace (${shown.length}):`));
  }
  for (const [team, changes] of groupByTeam(shown)) {
    lines.push('');
    if (team !== null) lines.push(c.bold(`# team ${team}`));
    for (const change of changes) lines.push(...renderChange(change, c));
  }
  lines.push('');
  if (plan.summary.noop > 0) lines.push(`${count(plan.summary.noop, 'token')} unchanged.`);
  lines.push(...renderUnmanaged(plan, options.showUnmanaged));
  lines.push(...databaseFootnotes(plan, options.showUnmanaged));
  if (plan.retiring.length > 0) {
    lines.push(`${count(plan.retiring.length, 'old token')} kept until the overlap ends:`);
    for (const token of plan.retiring)
      lines.push(`    ${token.name} ${token.id} until ${token.retireAt}`);
  }
  for (const warning of plan.warnings) {
    lines.push(`${c.yellow('warning:')} ${describeWarning(warning)}`);
  }
  if (lines.at(-1) !== '') lines.push('');
  lines.push(c.bold(summaryLine(plan.summary, plan.warnings.length)));
  return `${lines.join('\n')}\n`;
}

/** Above this many teams, the condensed table folds the teams that lose no token into one row. */
const MAX_TEAM_ROWS = 20;

function renderTeamTable(plan: Plan, pending: readonly PlannedChange[]): string[] {
  const teams = countByTeam(pending);
  const named = teams.filter((t) => t.team !== null).length;
  const intro =
    `${count(pending.length, 'change')}${named > 0 ? ` in ${count(named, 'team')}` : ''}: ` +
    'counts per team, then every revoke and replace in full (--verbose shows every change).';
  const rows = [['team', 'create', 'update', 'replace', 'revoke']];
  const numbers = (t: TeamCounts): string[] =>
    [t.create, t.update, t.replace, t.revoke].map(String);
  // Beyond 20 teams, those that lose a token keep their row; the rest share one.
  const many = teams.length > MAX_TEAM_ROWS;
  const rest: TeamCounts = { team: null, create: 0, update: 0, replace: 0, revoke: 0 };
  let folded = 0;
  for (const t of teams) {
    if (!many || t.replace + t.revoke > 0) rows.push([t.team ?? '(no team)', ...numbers(t)]);
    else {
      folded += 1;
      for (const key of ['create', 'update', 'replace', 'revoke'] as const) rest[key] += t[key];
    }
  }
  if (folded > 0) {
    const label = folded === teams.length ? 'team' : 'other team';
    rows.push([`(${count(folded, label)}: creates and updates only)`, ...numbers(rest)]);
  }
  const { create, update, replace, revoke } = plan.summary;
  if (rows.length > 2) rows.push(['total', ...[create, update, replace, revoke].map(String)]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const table = rows.map(
    (r) =>
      '  ' +
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
  );
  return [intro, '', ...table];
}

const SYMBOL: Record<Exclude<PlannedChange['action'], 'no-op'>, (c: Colors) => string> = {
  create: (c) => c.green('  +'),
  update: (c) => c.yellow('  ~'),
  replace: (c) => `${c.red('-/')}${c.green('+')}`,
  revoke: (c) => c.red('  -'),
};

function renderChange(change: PlannedChange, c: Colors): string[] {
  if (change.action === 'no-op') return [];
  const note = headline(change);
  const lines = [
    `${SYMBOL[change.action](c)} ${c.bold(change.name)}${note === null ? '' : ` (${note})`}`,
  ];
  const detail = (text: string): void => {
    lines.push(`      ${text}`);
  };
  const { before, after } = change;
  if (change.action === 'create' && after !== null) {
    detail(`description: ${JSON.stringify(humanText(after.description))}`);
    detail(`permissions: ${permissionsText(after.permissions)}`);
    detail(`expires: ${expiryText(after)}`);
  }
  if (
    (change.action === 'update' || change.action === 'replace') &&
    before !== null &&
    after !== null
  ) {
    const oldText = humanText(before.description);
    const newText = humanText(after.description);
    if (oldText !== newText)
      detail(`description: ${JSON.stringify(oldText)} → ${JSON.stringify(newText)}`);
    const { removed, added } = permissionDiff(before.permissions, after.permissions);
    if (removed.length + added.length > 0) {
      detail('permissions:');
      for (const permission of removed) detail(`  ${c.red('-')} ${permission}`);
      for (const permission of added) detail(`  ${c.green('+')} ${permission}`);
    }
  }
  if (change.action === 'replace' && before !== null && after !== null) {
    detail(`expires: ${expiryText(after)}`);
    detail(
      change.retireAt === undefined
        ? `old token ${before.id}: revoked once the new token's string is sealed`
        : `old token ${before.id}: kept until ${change.retireAt}`,
    );
  }
  if (change.action === 'revoke' && before !== null) {
    detail(`token ${before.id}: ${JSON.stringify(humanText(before.description))}`);
  }
  if (change.deliverTo !== undefined) detail(`delivered to: ${change.deliverTo.join(', ')}`);
  return lines;
}

function renderUnmanaged(plan: Plan, show: boolean): string[] {
  const n = plan.unmanaged.length;
  if (n === 0) return [];
  if (!show) {
    return [
      `${count(n, 'unmanaged token')} left alone (--show-unmanaged lists ${n === 1 ? 'it' : 'them'}).`,
    ];
  }
  return [
    `${count(n, 'unmanaged token')} left alone:`,
    ...plan.unmanaged.map((token) => `    ${token.id} ${JSON.stringify(token.description)}`),
  ];
}

/**
 * The plans of a `clusters:` manifest: each cluster's plan as above, under its name, with
 * its own summary, then one line for them all.
 */
export function renderPlanSetText(plans: readonly Plan[], options: PlanTextOptions): string {
  const c = createColors(options.color);
  const parts = plans.map((plan) => renderPlanText(plan, options));
  const warnings = plans.reduce((sum, plan) => sum + plan.warnings.length, 0);
  const total = addSummaries(plans.map((plan) => plan.summary));
  return `${parts.join('\n')}\n${c.bold(totalLine(total, plans.length, warnings))}\n`;
}
