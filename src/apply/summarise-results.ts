import type { ApplySummary, ChangeResult } from './types.js';

/** Counts results by action (done only), failures and skips. */
export function summariseResults(
  results: ChangeResult[],
  extra: Omit<ApplySummary, 'results' | 'counts'>,
): ApplySummary {
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
  return { results, counts, ...extra };
}
