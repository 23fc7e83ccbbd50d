import pLimit from 'p-limit';
import type { ApplyEvent, ApplySummary } from '../apply/index.js';
import type { ClientFactory, WorkflowContext } from './context.js';
import type { PlanForApply } from './plan-for-apply.js';
import { startApply, type ReadyApply, type StartApplyOptions } from './start-apply.js';

/** One cluster's apply, ready to run. */
export interface ClusterApply {
  /** Its name in `clusters:`; `null` for a manifest of one cluster. */
  cluster: string | null;
  apply: ReadyApply;
  /** API calls in flight on this cluster at once. */
  concurrency: number;
}

/** What one cluster's apply did. */
export interface ClusterSummary {
  cluster: string | null;
  summary: ApplySummary;
}

/** The applies of every cluster covered, checked and not started. */
export interface ReadyClusterApplies {
  clusters: ClusterApply[];
  /**
   * Runs every cluster's apply at once; each resolves on its own, so one cluster's outage
   * fails its changes (as results) and none of the others'. Events say whose they are.
   */
  execute(run: {
    signal?: AbortSignal;
    onEvent?: (cluster: string | null, event: ApplyEvent) => void;
  }): Promise<ClusterSummary[]>;
  /** Closes every cluster's secrets files (for an apply cancelled before `execute`). */
  close(): Promise<void>;
}

/**
 * Every cluster's apply: each passes `startApply`'s checks (mass revokes, secrets files)
 * before any runs, so a refused cluster stops the whole apply before its first call. The
 * overall `concurrency` is shared by all of them; each cluster also keeps to its own limit
 * (`clusters.NAME.concurrency`, else the overall one).
 */
export function startClusterApplies(
  plans: readonly PlanForApply[],
  options: StartApplyOptions,
  context: WorkflowContext,
  createClient: ClientFactory,
): ReadyClusterApplies {
  const shared = plans.length > 1 ? pLimit(Math.max(1, options.concurrency)) : undefined;
  const clusters: ClusterApply[] = [];
  try {
    for (const ready of plans) {
      const concurrency = Math.min(
        ready.manifest.concurrency ?? options.concurrency,
        options.concurrency,
      );
      clusters.push({
        cluster: ready.manifest.clusterName,
        concurrency,
        apply: startApply(
          ready,
          { ...options, concurrency, ...(shared === undefined ? {} : { sharedSlots: shared }) },
          context,
          createClient,
        ),
      });
    }
  } catch (error) {
    // The clusters already opened close their files before the refusal is reported.
    void Promise.all(clusters.map((entry) => entry.apply.close())).catch(() => undefined);
    throw error;
  }
  return {
    clusters,
    execute: ({ signal, onEvent }) =>
      Promise.all(
        clusters.map(async ({ cluster, apply }) => ({
          cluster,
          summary: await apply.execute({
            ...(signal === undefined ? {} : { signal }),
            ...(onEvent === undefined
              ? {}
              : {
                  onEvent: (event: ApplyEvent) => {
                    onEvent(cluster, event);
                  },
                }),
          }),
        })),
      ),
    close: async () => {
      await Promise.all(clusters.map((entry) => entry.apply.close()));
    },
  };
}
