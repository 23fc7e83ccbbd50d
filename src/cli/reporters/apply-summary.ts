import type { ApplySummary, ChangeResult } from '../../apply/index.js';
import { count } from './plan-words.js';

const COLUMNS = ['created', 'updated', 'replaced', 'revoked', 'failed', 'skipped'] as const;
type Column = (typeof COLUMNS)[number];
type Row = Record<Column, number>;

const COLUMN_OF = {
  create: 'created',
  update: 'updated',
  replace: 'replaced',
  revoke: 'revoked',
} as const;

/** Above this many teams, teams whose every change went through share one row. */
const MAX_TEAM_ROWS = 20;

/**
 * The table printed after an apply: one row per team that changed (tokens without a team
 * first) — beyond 20 teams only those with a failure, the rest in one row — teams whose
 * changes never started in one row, a total row, every failure with its cause, and the
 * closing sentence. The skipped column appears only when the apply was interrupted.
 */
export function renderApplySummary(summary: ApplySummary): string {
  const rows = new Map<string, Row>();
  for (const result of summary.results) {
    const row = rowFor(rows, result.team);
    if (result.status === 'failed') row.failed += 1;
    else if (result.status === 'skipped') row.skipped += 1;
    else if (result.action !== 'no-op') row[COLUMN_OF[result.action]] += 1;
  }
  const total = emptyRow();
  for (const counts of rows.values()) for (const column of COLUMNS) total[column] += counts[column];
  const columns = COLUMNS.filter((column) => column !== 'skipped' || total.skipped > 0);

  const names = [...rows.keys()].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }),
  );
  const changed = (row: Row): boolean => row.created + row.updated + row.replaced + row.revoked > 0;
  // A team with a failure always has its row; the others have one while there are few teams.
  // Teams whose changes never started (Ctrl-C) share one row: they changed nothing.
  const few = names.length <= MAX_TEAM_ROWS;
  const table: string[][] = [['team', ...columns]];
  const cells = (row: Row): string[] => columns.map((column) => String(row[column]));
  const folds = { done: { n: 0, row: emptyRow() }, idle: { n: 0, row: emptyRow() } };
  for (const name of names) {
    const row = rows.get(name) ?? emptyRow();
    if (row.failed > 0 || (few && changed(row))) {
      table.push([name, ...cells(row)]);
      continue;
    }
    const fold = changed(row) ? folds.done : folds.idle;
    fold.n += 1;
    for (const column of COLUMNS) fold.row[column] += row[column];
  }
  if (folds.done.n > 0) {
    const label = table.length === 1 ? 'team' : 'other team';
    table.push([`(${count(folds.done.n, label)}, all done)`, ...cells(folds.done.row)]);
  }
  if (folds.idle.n > 0) {
    table.push([`(${count(folds.idle.n, 'team')}, not started)`, ...cells(folds.idle.row)]);
  }
  if (table.length > 2) table.push(['total', ...cells(total)]);

  const lines = databaseLines(summary);
  if (table.length > 1) lines.push(...(lines.length > 0 ? [''] : []), ...formatTable(table));
  const failures = summary.results.filter((r) => r.status === 'failed');
  const failedDatabases = summary.databases.filter((r) => r.status === 'failed');
  if (failures.length + failedDatabases.length > 0) {
    lines.push('', `${failures.length + failedDatabases.length} failed:`);
    for (const failure of failedDatabases) {
      lines.push(
        `  ${failure.action} database ${JSON.stringify(failure.name)}: ${failure.error ?? ''}`,
      );
    }
    for (const failure of failures) lines.push(`  ${describe(failure)}: ${failure.error ?? ''}`);
  }
  if (summary.interrupted) {
    lines.push(
      '',
      `Interrupted: ${count(total.skipped, 'change')} ${total.skipped === 1 ? 'was' : 'were'} not started; run apply again to finish.`,
    );
  }
  const extras: string[] = [];
  if (summary.retries > 0) extras.push(`${summary.retries} retries`);
  if (summary.reconciliations > 0)
    extras.push(`${summary.reconciliations} lost creates reconciled`);
  const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : '';
  lines.push(
    ...(lines.length > 0 ? [''] : []),
    `Apply ${failures.length + failedDatabases.length > 0 || summary.interrupted ? 'incomplete' : 'complete'}: ` +
      `${total.created} created, ${total.updated} updated, ${total.replaced} replaced, ` +
      `${total.revoked} revoked, ${total.failed} failed${skipped} in ${(summary.elapsedMs / 1000).toFixed(1)} s` +
      (extras.length > 0 ? ` (${extras.join(', ')}).` : '.'),
  );
  return lines.join('\n');
}

/** `Databases: 80 created, 1 updated, 0 failed.` when the apply touched any. */
function databaseLines(summary: ApplySummary): string[] {
  if (summary.databases.length === 0) return [];
  const { create, update, failed, skipped } = summary.databaseCounts;
  const skip = skipped > 0 ? `, ${skipped} skipped` : '';
  return [`Databases: ${create} created, ${update} updated, ${failed} failed${skip}.`];
}

/**
 * One line for every string sealed by this apply: `Sealed 1000 new token strings into 26
 * files under secrets/`, or the one file's path. `null` when nothing was sealed.
 */
export function renderSealedLine(results: readonly ChangeResult[]): string | null {
  const files = new Map<string, number>();
  for (const result of results) {
    if (result.status !== 'done' || result.secretsFile === undefined) continue;
    files.set(result.secretsFile, (files.get(result.secretsFile) ?? 0) + 1);
  }
  if (files.size === 0) return null;
  const strings = [...files.values()].reduce((a, b) => a + b, 0);
  const what = count(strings, 'new token string');
  const [only] = files.keys();
  if (files.size === 1 && only !== undefined) return `Sealed ${what} into ${only}.`;
  const folder = commonFolder([...files.keys()]);
  return `Sealed ${what} into ${files.size} files${folder === '' ? '' : ` under ${folder}`} (provision secrets list FILE shows what each holds).`;
}

function commonFolder(paths: string[]): string {
  const parts = paths.map((path) => path.split('/').slice(0, -1));
  const first = parts[0] ?? [];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n += 1;
  return n === 0 ? '' : `${first.slice(0, n).join('/')}/`;
}

function emptyRow(): Row {
  return { created: 0, updated: 0, replaced: 0, revoked: 0, failed: 0, skipped: 0 };
}

function rowFor(rows: Map<string, Row>, team: string | null): Row {
  const key = team ?? '(no team)';
  let found = rows.get(key);
  if (found === undefined) {
    found = emptyRow();
    rows.set(key, found);
  }
  return found;
}

function rank(team: string): number {
  return team === '(no team)' ? 0 : 1;
}

function describe(result: ChangeResult): string {
  return `${result.action} ${result.name}${result.team === null ? '' : ` (team ${result.team})`}`;
}

function formatTable(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
