import { resolve } from 'node:path';
import { PlanError, UsageError } from '../errors.js';
import { parseDuration } from '../manifest/index.js';
import type { Duration, ExpandedManifest } from '../manifest/index.js';
import { productTitle } from '../model/index.js';
import { findDatabaseDifference } from '../plan/index.js';
import { findPlanDifference } from '../plan/index.js';
import { assertPlanFresh, loadPlan } from '../plan/index.js';
import type { Plan, PlanProblem } from '../plan/index.js';
import type { ClientFactory, Connection, WorkflowContext } from './context.js';
import { loadValidManifests, planCluster, planFromManifest } from './plan-from-manifest.js';
import type { PlanInputs, PlannedFromManifest } from './plan-from-manifest.js';
import { namingCluster } from './naming-cluster.js';
import { planClusters } from './plan-clusters.js';
import { resolveClusterConnection, resolveConnection } from './resolve-connection.js';

/** The manifest `-f` names when none is given: with a saved plan, the plan names its own. */
export const DEFAULT_MANIFEST = 'tokens.yaml';

/** What an apply plans from: the plan inputs, a saved plan, and where it seals. */
export interface ApplyPlanInputs extends Omit<PlanInputs, 'secretsFiles' | 'mainSecretsFile'> {
  /** A saved plan (`provision plan --out`) to check and run instead of planning afresh. */
  planFile?: string | undefined;
  /** `--secrets-file`: replaces the manifest's main file (team files stay). */
  secretsFile?: string | undefined;
}

/** A plan that may be applied, and what applying it needs. */
export interface PlanForApply {
  ok: true;
  plan: Plan;
  manifest: ExpandedManifest;
  /** The manifest's path as given; its outputs are relative to its folder. */
  manifestFile: string;
  connection: Connection;
  /** Ids the secrets files held when planning, for the apply's final sweep (custody rule). */
  sealedTokenIds: ReadonlySet<string>;
}

/** A fresh plan with problems: nothing may be applied. */
export interface PlanRefused {
  ok: false;
  problems: PlanProblem[];
}

/** The plans of every cluster an apply covers (one, without `clusters:`). */
export interface PlansForApply {
  ok: true;
  /** The manifest has `clusters:`: each plan names its cluster. */
  named: boolean;
  /** One per cluster, in the manifest's order. */
  clusters: PlanForApply[];
}

/**
 * Plans afresh from the manifest, or loads a saved plan and proves it still describes the
 * cluster and the manifest (else throws: apply does exactly what the reviewer read, or
 * nothing). A fresh plan with problems is returned as such, for the caller to show. For a
 * manifest of one cluster; `planClustersForApply` takes any.
 */
export async function planForApply(
  inputs: ApplyPlanInputs,
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PlanForApply | PlanRefused> {
  if (inputs.planFile === undefined) {
    // One cluster (`inputs.cluster` names it in a `clusters:` manifest), refused before any request.
    const prepared = await planFromManifest(
      { ...inputs, mainSecretsFile: inputs.secretsFile },
      context,
      createClient,
    );
    if (prepared.problems.length > 0) return { ok: false, problems: prepared.problems };
    return readyFrom(prepared, inputs.file);
  }
  const planned = await loadSavedPlans(inputs, inputs.planFile, context, createClient);
  const [only] = planned.clusters;
  if (planned.named || only === undefined) {
    throw new UsageError(`${inputs.planFile} holds the plans of several clusters`, {
      hint: 'apply it with planClustersForApply (the CLI does)',
    });
  }
  return only;
}

/** What applying a fresh plan needs, from the plan workflow's result. */
function readyFrom(prepared: PlannedFromManifest, manifestFile: string): PlanForApply {
  return {
    ok: true,
    plan: prepared.plan,
    manifest: prepared.manifest,
    manifestFile,
    connection: prepared.connection,
    sealedTokenIds: prepared.evidence.sealedTokenIds,
  };
}

/**
 * As `planForApply`, for any manifest: every cluster of a `clusters:` manifest (or those
 * `--cluster` names) is planned afresh, or each plan of a saved set is checked against a
 * fresh plan of its own cluster.
 */
export async function planClustersForApply(
  inputs: ApplyPlanInputs & { clusters?: string[] | undefined },
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PlansForApply | PlanRefused> {
  if (inputs.planFile !== undefined) {
    return loadSavedPlans(inputs, inputs.planFile, context, createClient);
  }
  // Lost strings are looked for where this apply seals them.
  const planned = await planClusters(
    { ...inputs, mainSecretsFile: inputs.secretsFile },
    context,
    createClient,
  );
  if (planned.problems.length > 0) return { ok: false, problems: planned.problems };
  return {
    ok: true,
    named: planned.named,
    clusters: planned.clusters.map((prepared) => readyFrom(prepared, inputs.file)),
  };
}

/** Thrown when the fresh plan made to check a saved one has problems (carried for display). */
export class SavedPlanProblemsError extends PlanError {
  constructor(
    message: string,
    readonly problems: PlanProblem[],
  ) {
    super(message);
  }
}

/**
 * A saved plan is a commitment, never an instruction: the manifest it names is read again,
 * the connection comes from flags, environment and that manifest only (never from the plan
 * file), the cluster is listed and the plan computed afresh with the saved plan's options.
 * It runs only if the fresh change list equals the saved one entry for entry, so every
 * policy, `protect` and unmanaged-token rule holds for plan files by construction, and what
 * runs (and is printed) is the fresh plan. A saved set (a `clusters:` manifest) holds to
 * the same rule plan by plan, and runs only if every one of its plans does.
 */
async function loadSavedPlans(
  flags: ApplyPlanInputs & { clusters?: string[] | undefined },
  planFile: string,
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PlansForApply> {
  const shaping = ['prune', 'replace', 'only', 'expiringWithin', 'allowMissingDatabases'] as const;
  const mixed = shaping.filter((key) => flags[key] !== undefined);
  if (mixed.length > 0) {
    throw new UsageError(`a saved plan cannot be changed with --${kebab(mixed[0] ?? '')}`, {
      hint: 'make a new plan with those flags: provision plan … --out plan.json',
    });
  }
  if (flags.clusters !== undefined && flags.clusters.length > 0) {
    throw new UsageError('a saved plan cannot be changed with --cluster', {
      hint: 'it covers the clusters it was made for: provision plan --cluster … --out plan.json',
    });
  }
  const saved = await loadPlan(resolve(context.cwd, planFile));
  const manifestFile = saved.manifest.file;
  if (
    flags.file !== DEFAULT_MANIFEST &&
    resolve(context.cwd, flags.file) !== resolve(context.cwd, manifestFile)
  ) {
    throw new UsageError(`${planFile} was made from ${manifestFile}, not ${flags.file}`, {
      hint: `apply it without -f, or plan again with -f ${flags.file}`,
    });
  }
  const loaded = await loadValidManifests(
    manifestFile,
    context,
    context.now(),
    `${manifestFile}, which ${planFile} was made from, is not valid`,
  );
  const plans = 'plans' in saved ? saved.plans : [saved];
  if (loaded.named !== 'plans' in saved) {
    throw new PlanError(
      loaded.named
        ? `${planFile} was made for one cluster, but ${manifestFile} now names several (clusters:)`
        : `${planFile} was made for several clusters, but ${manifestFile} now names one`,
      { hint: 'plan again: provision plan --out plan.json' },
    );
  }
  // Every target is the reviewed one before any request carries a management token.
  const names = loaded.clusters.map((manifest) => manifest.clusterName ?? '');
  const checked = plans.map((plan) => {
    const manifest = loaded.named
      ? loaded.clusters.find((candidate) => candidate.clusterName === plan.clusterName)
      : loaded.clusters[0];
    if (manifest === undefined) {
      throw new PlanError(
        `${planFile} plans cluster ${plan.clusterName ?? ''}, which ${manifestFile} no longer names`,
        { hint: 'plan again: provision plan --out plan.json' },
      );
    }
    const connection = loaded.named
      ? resolveClusterConnection(
          flags,
          context,
          manifest.clusterName ?? '',
          manifest.cluster,
          manifestFile,
          names,
        )
      : resolveConnection(flags, context, manifest.cluster, manifestFile);
    const targetProblem = compareTarget(plan.target, connection);
    if (targetProblem !== null) {
      throw new PlanError(`${planFile} was made for ${targetProblem}`, {
        hint: 'apply it with the connection it was planned with (flags, environment, manifest), or plan again',
      });
    }
    return { plan, manifest, connection };
  });
  const clusters = await Promise.all(
    checked.map(({ plan, manifest, connection }) =>
      namingCluster(manifest.clusterName, () =>
        checkSavedPlan(plan, manifest, connection, flags, planFile, context, createClient),
      ),
    ),
  );
  return { ok: true, named: loaded.named, clusters };
}

/** One saved plan against a fresh plan of its cluster with the saved options. */
async function checkSavedPlan(
  saved: Plan,
  manifest: ExpandedManifest,
  connection: Connection,
  flags: ApplyPlanInputs,
  planFile: string,
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PlanForApply> {
  const manifestFile = saved.manifest.file;
  const prepared = await planCluster(
    manifest,
    connection,
    {
      ...flags,
      file: manifestFile,
      prune: saved.options.prune,
      replace: [...saved.options.replace],
      only: [...saved.options.only],
      ...(saved.options.expiringWithin === null
        ? {}
        : { expiringWithin: savedWindow(saved.options.expiringWithin, planFile) }),
      ...(saved.options.allowMissingDatabases === true ? { allowMissingDatabases: true } : {}),
      mainSecretsFile: flags.secretsFile,
    },
    context,
    createClient,
  );
  const where = manifest.clusterName === null ? '' : ` (cluster ${manifest.clusterName})`;
  if (prepared.problems.length > 0) {
    throw new SavedPlanProblemsError(
      `cannot apply ${planFile}${where}: a fresh plan has ${prepared.problems.length} problem(s) above; nothing was changed`,
      prepared.problems,
    );
  }
  assertPlanFresh(saved, prepared.actual, prepared.databases, manifest.fingerprint, planFile);
  const difference =
    findDatabaseDifference(saved.databases, prepared.plan.databases) ??
    findPlanDifference(saved.changes, prepared.plan.changes);
  if (difference !== null) {
    throw new PlanError(
      `${planFile} is not the plan the manifest and the cluster give now${where} (${difference}); nothing was changed`,
      { hint: 'a saved plan runs only as made: run provision plan --out again and review it' },
    );
  }
  return {
    ok: true,
    plan: prepared.plan,
    manifest: prepared.manifest,
    manifestFile,
    connection,
    sealedTokenIds: prepared.evidence.sealedTokenIds,
  };
}

/** A saved plan's `--expiring-within`, read from a file no one reviews: checked like the flag. */
function savedWindow(text: string, planFile: string): Duration {
  const window = parseDuration(text);
  if (window === null) {
    throw new PlanError(
      `${planFile} is not a provision plan (options.expiringWithin is not a duration)`,
      {
        hint: 'pass the file that `provision plan --out FILE` wrote',
      },
    );
  }
  return window;
}

/** What differs between the plan's recorded target and the trusted connection, or `null`. */
function compareTarget(target: Plan['target'], connection: Connection): string | null {
  if (target.product !== connection.product) {
    return `a ${productTitle(target.product)} cluster, not for the ${productTitle(connection.product)} cluster at ${connection.url}`;
  }
  if (target.accountId !== connection.accountId || target.clusterId !== connection.clusterId) {
    return `cluster ${target.clusterId} (account ${target.accountId}), not for cluster ${connection.clusterId} (account ${connection.accountId})`;
  }
  if (withoutTrailingSlash(target.url) !== withoutTrailingSlash(connection.url)) {
    return `another Management API URL than ${connection.url}`;
  }
  return null;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
