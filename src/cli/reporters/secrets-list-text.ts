import type { IndexedSecret } from '../../secrets/index.js';

/**
 * `secrets list` as text: one row per sealed token under its current name (`NEW (was OLD)`
 * after a rename) with its status, then a count. Never a string: the index holds none.
 */
export function renderSecretsList(entries: readonly IndexedSecret[]): string[] {
  const rows = [
    ['NAME', 'TEAM', 'TOKEN ID', 'CREATED', 'EXPIRES', 'STATUS'],
    ...entries.map((e) => [
      e.sealedName === undefined ? e.name : `${e.name} (was ${e.sealedName})`,
      e.team ?? '-',
      e.tokenId,
      e.createdAt,
      e.expiresAt ?? '-',
      e.status,
    ]),
  ];
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  const table =
    entries.length === 0
      ? []
      : rows.map((row) =>
          row
            .map((cell, column) => cell.padEnd(widths[column] ?? 0))
            .join('  ')
            .trimEnd(),
        );
  return [...table, summary(entries)];
}

function summary(entries: readonly IndexedSecret[]): string {
  const sealed = `${entries.length} token${entries.length === 1 ? '' : 's'} sealed`;
  const by = (status: IndexedSecret['status']) => entries.filter((e) => e.status === status).length;
  const [superseded, revoked] = [by('superseded'), by('revoked')];
  if (superseded + revoked === 0) return sealed;
  return `${sealed}: ${by('current')} current, ${superseded} superseded, ${revoked} revoked`;
}
