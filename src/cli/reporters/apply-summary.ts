import type { ApplySummary, ChangeResult } from '../../apply/types.js';

const COLUMNS = ['created', 'updated', 'replaced', 'revoked', 'failed'] as const;
type Column = (typeof COLUMNS)[number];

const COLUMN_OF = {
  create: 'created',
  update: 'updated',
  replace: 'replaced',
  revoke: 'revoked',
} as const;

/**
 * The table printed after an apply: one row per team (tokens without a team first), a total
 * row, then every failure with its cause.
 */
export function renderApplySummary(summary: ApplySummary): string {
  const rows = new Map<string, Record<Column, number>>();
  const row = (team: string | null): Record<Column, number> => {
    const key = team ?? '(no team)';
    let found = rows.get(key);
    if (found === undefined) {
      found = { created: 0, updated: 0, replaced: 0, revoked: 0, failed: 0 };
      rows.set(key, found);
    }
    return found;
  };
  for (const result of summary.results) {
    if (result.status !== 'done') row(result.team).failed += result.status === 'failed' ? 1 : 0;
    else if (result.action !== 'no-op') row(result.team)[COLUMN_OF[result.action]] += 1;
  }
  const total: Record<Column, number> = {
    created: 0,
    updated: 0,
    replaced: 0,
    revoked: 0,
    failed: 0,
  };
  for (const counts of rows.values()) for (const column of COLUMNS) total[column] += counts[column];

  const table: string[][] = [['team', ...COLUMNS]];
  const names = [...rows.keys()].sort(
    (a, b) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true }),
  );
  for (const name of names)
    table.push([name, ...COLUMNS.map((c) => String(rows.get(name)?.[c] ?? 0))]);
  if (rows.size > 1) table.push(['total', ...COLUMNS.map((c) => String(total[c]))]);

  const lines = formatTable(table);
  const failures = summary.results.filter((r) => r.status === 'failed');
  if (failures.length > 0) {
    lines.push('', `${failures.length} failed:`);
    for (const failure of failures) lines.push(`  ${describe(failure)}: ${failure.error ?? ''}`);
  }
  const skipped = summary.results.filter((r) => r.status === 'skipped').length;
  if (summary.interrupted) {
    lines.push('', `Interrupted: ${skipped} changes were not started; run apply again to finish.`);
  }
  const extras: string[] = [];
  if (summary.retries > 0) extras.push(`${summary.retries} retries`);
  if (summary.reconciliations > 0)
    extras.push(`${summary.reconciliations} lost creates reconciled`);
  lines.push(
    '',
    `Apply ${failures.length > 0 || summary.interrupted ? 'incomplete' : 'complete'}: ` +
      `${total.created} created, ${total.updated} updated, ${total.replaced} replaced, ` +
      `${total.revoked} revoked, ${total.failed} failed in ${(summary.elapsedMs / 1000).toFixed(1)} s` +
      (extras.length > 0 ? ` (${extras.join(', ')}).` : '.'),
  );
  return lines.join('\n');
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
