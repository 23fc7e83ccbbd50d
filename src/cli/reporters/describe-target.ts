import type { ManagementTarget } from '../../model/index.js';

/**
 * The cluster a plan is for, in one phrase: a Dedicated one by its ids, a Clustered one by
 * its Management API URL (it has no ids). `code` marks each value (Markdown backticks).
 */
export function describeTarget(
  target: ManagementTarget,
  code: (value: string) => string = (value) => value,
): string {
  if (target.product === 'clustered') return `Clustered cluster ${code(target.url)}`;
  return `Cluster ${code(target.clusterId)} (account ${code(target.accountId)})`;
}
