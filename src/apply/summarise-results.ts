import type { ApplySummary, ChangeResult, DatabaseResult } from './types.js';

/** Counts results by action (done only), failures and skips; databases apart from tokens. */
export function summariseResults(
  results: ChangeResult[],
  extra: Omit<ApplySummary, 'results' | 'counts' | 'databases' | 'databaseCounts'>,
  databases: DatabaseResult[] = [],
): ApplySummary {
  const databaseCounts: ApplySummary['databaseCounts'] = {
    create: 0,
    update: 0,
    failed: 0,
    skipped: 0,
  };
  for (const result of databases) {
    if (result.status === 'done') databaseCounts[result.action] += 1;
    else databaseCounts[result.status] += 1;
  }
  const counts: ApplySummary['counts'] = {
    create: 0,
    update: 0,
    replace: 0,
    revoke: 0,
    'no-op': 0,
    failed: 0,
    skipped: 0,
  };
  for (const result of results) {
    if (result.status === 'done') counts[result.action] += 1;
    else counts[result.status] += 1;
  }
  return { results, counts, databases, databaseCounts, ...extra };
}

/** Whether the apply left anything undone: a failed token or database, or an interruption. */
export function applyFailed(summary: ApplySummary): boolean {
  return summary.counts.failed > 0 || summary.databaseCounts.failed > 0 || summary.interrupted;
}

/**
 * Several applies (one per cluster, run at once) as one: every result, the counts added
 * up, interrupted if any was, as long as the longest took.
 */
export function mergeSummaries(summaries: readonly ApplySummary[]): ApplySummary {
  return summariseResults(
    summaries.flatMap((summary) => summary.results),
    {
      retries: summaries.reduce((sum, summary) => sum + summary.retries, 0),
      reconciliations: summaries.reduce((sum, summary) => sum + summary.reconciliations, 0),
      interrupted: summaries.some((summary) => summary.interrupted),
      elapsedMs: Math.max(0, ...summaries.map((summary) => summary.elapsedMs)),
    },
    summaries.flatMap((summary) => summary.databases),
  );
}
