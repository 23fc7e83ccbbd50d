import { UsageError } from '../errors.js';
import type { ExpandedManifest } from '../manifest/index.js';
import { CLUSTER_NAME_PATTERN, didYouMean } from '../model/index.js';
import { addSummaries, type PlanProblem, type PlanSet } from '../plan/index.js';
import type { ClientFactory, Connection, WorkflowContext } from './context.js';
import {
  loadValidManifests,
  planCluster,
  unknownCluster,
  type LoadedManifests,
  type PlanInputs,
  type PlannedFromManifest,
} from './plan-from-manifest.js';
import { namingCluster } from './naming-cluster.js';
import { resolveClusterConnection, resolveConnection } from './resolve-connection.js';

/** The plan inputs, and which of a `clusters:` manifest's clusters to cover. */
export interface ClusterPlanInputs extends PlanInputs {
  /** `--cluster NAME` (repeatable): only these; default every cluster of `clusters:`. */
  clusters?: string[] | undefined;
}

/** The plans of every cluster covered, and what forbids applying any of them. */
export interface PlannedClusters {
  /** The manifest has `clusters:` (each plan names its cluster); else one unnamed plan. */
  named: boolean;
  /** In the manifest's order. */
  clusters: PlannedFromManifest[];
  /** Problems of every plan; with `clusters:`, each begins with its cluster's name. */
  problems: PlanProblem[];
}

/**
 * The plan workflow for any manifest: one plan for a manifest without `clusters:` (as
 * `planFromManifest`), else one per cluster covered, listed at once. Every connection is
 * resolved, so every missing management token reported, before any request is sent.
 */
export async function planClusters(
  inputs: ClusterPlanInputs,
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PlannedClusters> {
  const loaded = await loadValidManifests(inputs.file, context, context.now());
  const chosen = chooseClusters(loaded, inputs, context);
  const all = loaded.clusters.map((manifest) => manifest.clusterName ?? '');
  const perCluster = chosen.map(({ manifest }) =>
    loaded.named ? selectorsFor(inputs, manifest, chosen, all) : inputs,
  );
  const planned = await Promise.all(
    chosen.map(({ manifest, connection }, index) =>
      namingCluster(manifest.clusterName, () =>
        planCluster(manifest, connection, perCluster[index] ?? inputs, context, createClient),
      ),
    ),
  );
  return {
    named: loaded.named,
    clusters: planned,
    problems: loaded.named ? mergeProblems(planned, inputs) : (planned[0]?.problems ?? []),
  };
}

/** The covered clusters' manifests and connections (all resolved before any request). */
export function chooseClusters(
  loaded: LoadedManifests,
  inputs: ClusterPlanInputs,
  context: WorkflowContext,
): { manifest: ExpandedManifest; connection: Connection }[] {
  if (!loaded.named) {
    const [manifest] = chooseClusterManifests(loaded, inputs.file, inputs.clusters);
    if (manifest === undefined) throw new Error(`${inputs.file} expanded to no cluster`);
    return [
      { manifest, connection: resolveConnection(inputs, context, manifest.cluster, inputs.file) },
    ];
  }
  refuseOneFile(inputs, inputs.file);
  const names = loaded.clusters.map((manifest) => manifest.clusterName ?? '');
  return chooseClusterManifests(loaded, inputs.file, inputs.clusters).map((manifest) => ({
    manifest,
    connection: resolveClusterConnection(
      inputs,
      context,
      manifest.clusterName ?? '',
      manifest.cluster,
      inputs.file,
      names,
    ),
  }));
}

/**
 * What the inputs of a `clusters:` manifest may not say: one secrets file for every cluster
 * would mix their tokens (names are unique within a cluster only).
 */
export function refuseOneFile(inputs: ClusterPlanInputs, file: string): void {
  if (inputs.mainSecretsFile !== undefined || inputs.secretsFiles !== undefined) {
    throw new UsageError(`--secrets-file names one file; ${file} names several clusters`, {
      hint: 'each cluster seals to its own file: set outputs.secretsFile with {cluster} in the manifest',
    });
  }
}

/** The manifests `--cluster` selects, in the manifest's order; every one without it. */
export function chooseClusterManifests(
  loaded: LoadedManifests,
  file: string,
  selected: readonly string[] | undefined,
): ExpandedManifest[] {
  if (!loaded.named) {
    if (selected !== undefined && selected.length > 0) {
      throw new UsageError(`--cluster ${selected[0] ?? ''}: ${file} has no clusters: map`, {
        hint: 'drop --cluster: the manifest names one cluster (cluster:)',
      });
    }
    return loaded.clusters;
  }
  if (selected === undefined || selected.length === 0) return loaded.clusters;
  const names = loaded.clusters.map((manifest) => manifest.clusterName ?? '');
  for (const name of selected) {
    if (!names.includes(name)) throw unknownCluster(name, names, file);
  }
  return loaded.clusters.filter((manifest) => selected.includes(manifest.clusterName ?? ''));
}

/**
 * `--only` and `--replace` for one cluster: `CLUSTER/NAME` goes to that cluster only (as
 * NAME), a bare NAME or `team:TEAM` to every cluster covered.
 */
function selectorsFor(
  inputs: ClusterPlanInputs,
  manifest: ExpandedManifest,
  chosen: readonly { manifest: ExpandedManifest }[],
  declared: readonly string[],
): PlanInputs {
  const names = chosen.map((entry) => entry.manifest.clusterName ?? '');
  const mine = (flag: string, values: readonly string[] | undefined): string[] | undefined => {
    if (values === undefined) return undefined;
    const kept: string[] = [];
    for (const value of values) {
      const scoped = splitScoped(value);
      if (scoped === null) {
        kept.push(value);
        continue;
      }
      if (!declared.includes(scoped.cluster)) {
        throw new UsageError(
          `${flag} ${value}: no cluster ${JSON.stringify(scoped.cluster)} in ${inputs.file}`,
          {
            hint: didYouMean(scoped.cluster, declared) ?? `its clusters are ${declared.join(', ')}`,
          },
        );
      }
      if (!names.includes(scoped.cluster)) {
        throw new UsageError(`${flag} ${value}: cluster ${scoped.cluster} is not being planned`, {
          hint: `add --cluster ${scoped.cluster}, or drop ${flag} ${value}`,
        });
      }
      if (scoped.cluster === manifest.clusterName) kept.push(scoped.rest);
    }
    return kept;
  };
  const only = mine('--only', inputs.only);
  const replace = mine('--replace', inputs.replace);
  return {
    ...inputs,
    ...(only === undefined ? {} : { only }),
    ...(replace === undefined ? {} : { replace }),
  };
}

/** `staging/grafana` → cluster `staging`, `grafana`; `null` when the value names no cluster. */
export function splitScoped(value: string): { cluster: string; rest: string } | null {
  const slash = value.indexOf('/');
  if (slash === -1) return null;
  const cluster = value.slice(0, slash);
  return CLUSTER_NAME_PATTERN.test(cluster) ? { cluster, rest: value.slice(slash + 1) } : null;
}

/**
 * Every plan's problems, named by cluster. A bare `--only` or `--replace` value is given to
 * every cluster, so it is a problem only when no cluster has it (then it is said once).
 */
function mergeProblems(
  planned: readonly PlannedFromManifest[],
  inputs: ClusterPlanInputs,
): PlanProblem[] {
  const bare = new Set(
    [...(inputs.only ?? []), ...(inputs.replace ?? [])].filter(
      (value) => splitScoped(value) === null,
    ),
  );
  const missedBy = new Map<string, number>();
  for (const { problems } of planned) {
    for (const problem of problems) {
      if (problem.selector !== undefined && bare.has(problem.selector)) {
        missedBy.set(problem.message, (missedBy.get(problem.message) ?? 0) + 1);
      }
    }
  }
  const said = new Set<string>();
  const merged: PlanProblem[] = [];
  for (const { problems, manifest } of planned) {
    for (const problem of problems) {
      if (problem.selector !== undefined && bare.has(problem.selector)) {
        if (missedBy.get(problem.message) !== planned.length || said.has(problem.message)) continue;
        said.add(problem.message);
        merged.push({ ...problem, message: `${problem.message} (on every cluster planned)` });
        continue;
      }
      merged.push({ ...problem, message: `${manifest.clusterName ?? ''}: ${problem.message}` });
    }
  }
  return merged;
}

/** The plans of a `clusters:` manifest as one saved or printed set, with their total. */
export function toPlanSet(planned: PlannedClusters, createdAt: string): PlanSet {
  const [first] = planned.clusters;
  return {
    formatVersion: 1,
    createdAt,
    manifest: first?.plan.manifest ?? { file: '', fingerprint: '' },
    plans: planned.clusters.map((entry) => entry.plan),
    summary: addSummaries(planned.clusters.map((entry) => entry.plan.summary)),
  };
}
