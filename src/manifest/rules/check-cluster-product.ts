import { issueAt } from './rule-context.js';
import type { Rule } from './rule-context.js';

/**
 * A Clustered cluster's Management API has no account or cluster id in its paths or
 * bodies: ids next to `product: clustered` would be ignored, so they are refused where
 * they are written. (A URL is required too, but may come from the flag or environment.)
 */
export const checkClusterProduct: Rule = (ctx) => {
  const cluster = ctx.manifest.cluster;
  if (cluster?.product !== 'clustered') return [];
  return (['accountId', 'clusterId'] as const)
    .filter((key) => cluster[key] !== undefined)
    .map((key) =>
      issueAt(
        ctx,
        ['cluster', key],
        {
          code: 'id-for-clustered',
          message: `cluster.${key} is not accepted for a Clustered cluster (cluster.product: clustered)`,
          hint: `remove it: Clustered paths have no account or cluster id, only cluster.url (https://HOST/api/v0)`,
        },
        'key',
      ),
    );
};
