import { createColors } from 'picocolors';
import { describeMismatches, observedWord } from '../../verify/index.js';
import type { ProbeOutcome, TokenVerification, VerifyReport } from '../../verify/index.js';
import { count } from './plan-words.js';

/** Tokens named one by one in a not-verifiable group; beyond, the group is counted. */
const LISTED_PER_REASON = 5;

/**
 * `provision verify` for people: by default only what is wrong — one line per mismatch
 * naming token and database (with `--verbose`, first a table row per token and database,
 * `✗` on rows with a wrong answer) — then the tokens that could not be probed, grouped by
 * why (a team key that opens only its own file is one line), and a closing count. Never a
 * token string: the report has none.
 */
export function renderVerifyText(
  report: VerifyReport,
  options: { color: boolean; verbose?: boolean },
): string {
  const c = createColors(options.color);
  const { summary } = report;
  const lines = [
    `Verify on ${report.clusterUrl}: ${count(summary.tokens, 'declared token')}, ${
      report.writeProbe
        ? 'reads and writes (the write probe is empty and stores no data)'
        : 'reads only (--write-probe also checks writes)'
    }`,
  ];

  const header = ['TOKEN', 'DATABASE', 'READ', ...(report.writeProbe ? ['WRITE'] : [])];
  const rows: { cells: string[]; ok: boolean }[] = [];
  for (const token of report.tokens) {
    const byDatabase = new Map<string, ProbeOutcome[]>();
    for (const probe of token.probes) {
      byDatabase.set(probe.database, [...(byDatabase.get(probe.database) ?? []), probe]);
    }
    for (const [database, probes] of byDatabase) {
      const cell = (action: 'read' | 'write'): string => {
        const probe = probes.find((p) => p.action === action);
        if (probe === undefined) return '-';
        const word = observedWord(probe.observed);
        return probe.ok ? word : `${word} (expected ${probe.expected})`;
      };
      rows.push({
        cells: [token.name, database, cell('read'), ...(report.writeProbe ? [cell('write')] : [])],
        ok: probes.every((p) => p.ok),
      });
    }
  }
  if (options.verbose === true && rows.length > 0) {
    const widths = header.map((title, i) =>
      Math.max(title.length, ...rows.map((row) => row.cells[i]?.length ?? 0)),
    );
    const format = (cells: string[]): string =>
      cells
        .map((text, i) => (i === cells.length - 1 ? text : text.padEnd(widths[i] ?? 0)))
        .join('  ');
    lines.push('', `  ${format(header)}`);
    for (const row of rows) {
      lines.push(row.ok ? `  ${format(row.cells)}` : c.red(`✗ ${format(row.cells)}`));
    }
  }

  const mismatches = report.tokens.flatMap(describeMismatches);
  if (mismatches.length > 0) {
    lines.push('', ...mismatches.map((line) => `${c.red('mismatch:')} ${line}`));
  }
  const unverifiable = report.tokens.filter((token) => token.status === 'not-verifiable');
  if (unverifiable.length > 0)
    lines.push('', 'Not verifiable:', ...groupUnverifiable(unverifiable));
  lines.push('', c.bold(closingLine(report)));
  if (report.summary.mismatched > 0) {
    lines.push(
      'hint: `provision plan` shows permission drift and `provision apply` restores the declared permissions; a 401 means the token is not active yet or was revoked',
    );
  }
  return `${lines.join('\n')}\n`;
}

function groupUnverifiable(tokens: readonly TokenVerification[]): string[] {
  const groups = new Map<string, TokenVerification[]>();
  for (const token of tokens) {
    const key = token.reasonCode ?? token.reason ?? '';
    groups.set(key, [...(groups.get(key) ?? []), token]);
  }
  const lines: string[] = [];
  for (const [code, group] of groups) {
    if (group.length <= LISTED_PER_REASON) {
      for (const token of group)
        lines.push(`  ${token.name}: not verifiable (${token.reason ?? ''})`);
      continue;
    }
    const names = group.slice(0, 3).map((token) => token.name);
    const why =
      code === 'cannot-open'
        ? 'their secrets files cannot be opened with this identity'
        : (group[0]?.reason ?? '');
    lines.push(
      `  ${count(group.length, 'token')} (${names.join(', ')}, +${group.length - 3}): ${why}`,
    );
  }
  return lines;
}

function closingLine(report: VerifyReport): string {
  const { summary } = report;
  const probed = summary.verified + summary.mismatched;
  const skipped =
    summary.notVerifiable === 0 ? '' : `; ${count(summary.notVerifiable, 'token')} not verifiable`;
  if (summary.mismatched > 0) {
    return `Mismatch: ${summary.mismatched} of ${count(probed, 'token')} answered otherwise than declared (${summary.mismatches} of ${count(summary.probes, 'probe')})${skipped}.`;
  }
  if (probed === 0) return `Nothing verified${skipped}.`;
  return `OK: ${count(probed, 'token')} answered exactly as declared (${count(summary.probes, 'probe')})${skipped}.`;
}
