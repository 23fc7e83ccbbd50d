import type { DesiredToken } from '../manifest/index.js';
import { didYouMean } from '../model/index.js';
import type { PlanProblem, PlanWarning } from './types.js';

/**
 * Every database a declared token names must exist in the cluster; each missing one is a
 * problem at the place that named it (one per place, however many team tokens it expands to),
 * or a warning when `allowMissing` says the databases will be created later.
 */
export function checkDatabases(
  desired: readonly DesiredToken[],
  databases: readonly string[],
  allowMissing: boolean,
): { problems: PlanProblem[]; warnings: PlanWarning[] } {
  const existing = new Set(databases);
  const missing = new Map<
    string,
    { database: string; tokens: string[]; ref: DesiredToken['databases'][number] }
  >();
  for (const token of desired) {
    for (const ref of token.databases) {
      if (existing.has(ref.database)) continue;
      const key = `${ref.file}\0${ref.line}\0${ref.column}\0${ref.database}`;
      const entry = missing.get(key);
      if (entry === undefined)
        missing.set(key, { database: ref.database, tokens: [token.name], ref });
      else entry.tokens.push(token.name);
    }
  }
  const problems: PlanProblem[] = [];
  const warnings: PlanWarning[] = [];
  for (const { database, tokens, ref } of missing.values()) {
    const namedBy = `token "${tokens[0] ?? ''}"${tokens.length > 1 ? ` and ${tokens.length - 1} more` : ''}`;
    const source = { file: ref.file, line: ref.line, column: ref.column };
    if (allowMissing) {
      warnings.push({ code: 'database-missing', database, tokens, source });
      continue;
    }
    problems.push({
      message: `database "${database}" does not exist in the cluster (named by ${namedBy})`,
      hint:
        didYouMean(database, databases) ??
        'create the database first, or pass --allow-missing-databases if it will exist by apply time',
      source,
    });
  }
  return { problems, warnings };
}
