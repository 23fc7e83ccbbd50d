import { toSecondsIso } from '../../plan/index.js';
import type { ClusterTokenRow } from './describe-cluster-tokens.js';
import { count } from './plan-words.js';

/**
 * `tokens list` for people: NAME (or "unmanaged"), ID, PERMISSIONS, EXPIRES, STATUS and the
 * description JSON-quoted (it comes from the cluster: no control character reaches the
 * terminal), then a count line.
 */
export function renderTokensTable(rows: readonly ClusterTokenRow[]): string {
  const managed = rows.filter((row) => row.name !== null).length;
  const closing = `${count(rows.length, 'token')}: ${managed} managed, ${rows.length - managed} unmanaged.`;
  if (rows.length === 0) return `${closing}\n`;
  const table = [['NAME', 'ID', 'PERMISSIONS', 'EXPIRES', 'STATUS', 'DESCRIPTION']];
  for (const row of rows) {
    table.push([
      row.name ?? 'unmanaged',
      row.id,
      row.permissionsText,
      row.expiresAt === null ? 'never' : toSecondsIso(row.expiresAt),
      row.status === 'retiring' ? `retiring until ${row.retireAt ?? ''}` : row.status,
      JSON.stringify(row.description),
    ]);
  }
  const widths = table[0]?.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length))) ?? [];
  const lines = table.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  return `${[...lines, '', closing].join('\n')}\n`;
}
