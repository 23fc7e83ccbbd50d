import { dirname, resolve } from 'node:path';
import type { ClusterDatabase, DatabaseToken, ManagementTarget } from '../model/index.js';
import { didYouMean } from '../model/index.js';
import type { ManagementApi } from '../api/index.js';
import { checkPlanDeliveries } from '../deliver/index.js';
import { ManifestError, UsageError } from '../errors.js';
import { loadManifest } from '../manifest/index.js';
import type { Duration, ExpandedManifest } from '../manifest/index.js';
import { computePlan } from '../plan/index.js';
import { findLostSecrets, type SealedEvidence } from '../plan/index.js';
import type { Plan, PlanProblem } from '../plan/index.js';
import { readSecretsIndex } from '../secrets/index.js';
import type { ClientFactory, Connection, WorkflowContext } from './context.js';
import { namingCluster } from './naming-cluster.js';
import {
  resolveClusterConnection,
  resolveConnection,
  type ConnectionFlags,
} from './resolve-connection.js';
import { secretsFileFor } from './secrets-file-for.js';

/** What shapes a plan: the manifest, the connection flags and the plan options. */
export interface PlanInputs extends ConnectionFlags {
  /** The manifest, relative to `context.cwd`. */
  file: string;
  prune?: boolean;
  replace?: string[];
  only?: string[];
  /** `--expiring-within`, parsed by the caller (`parseDuration`). */
  expiringWithin?: Duration | undefined;
  allowMissingDatabases?: boolean;
  /**
   * Secrets files to look in for lost strings, relative to `context.cwd`. Default: every file
   * the manifest's outputs name (the main one and each team's), relative to its folder.
   */
  secretsFiles?: string[] | undefined;
  /** `apply --secrets-file`: replaces the manifest's main file; team files still count. */
  mainSecretsFile?: string | undefined;
}

/** A plan and everything it was made from, so `apply` can act without listing again. */
export interface PlannedFromManifest {
  plan: Plan;
  /** Non-empty: the plan must not be applied. */
  problems: PlanProblem[];
  manifest: ExpandedManifest;
  connection: Connection;
  client: ManagementApi;
  actual: DatabaseToken[];
  databases: ClusterDatabase[];
  /**
   * What the secrets files said when the plan was made: the apply's final sweep keeps to the
   * same custody rule with it (`ExecuteOptions.sealedTokenIds`), and the import preview too.
   */
  evidence: SealedEvidence;
}

/**
 * The plan workflow for a manifest of one cluster: loads the manifest (nothing is sent to
 * the API unless it is valid; its issues are reported one by one before the one
 * ManifestError), connects, lists the cluster's tokens and databases and reads the secrets
 * files' indexes at once, then plans. A manifest with `clusters:` is `planClusters`' job.
 */
export async function planFromManifest(
  inputs: PlanInputs,
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PlannedFromManifest> {
  const loaded = await loadValidManifests(inputs.file, context, context.now());
  const manifest = oneCluster(loaded, inputs.file, inputs.cluster);
  const connection = connectOne(loaded, manifest, inputs, context);
  return namingCluster(manifest.clusterName, () =>
    planCluster(manifest, connection, inputs, context, createClient),
  );
}

/** The connection of the one cluster a workflow works on, however the manifest names it. */
export function connectOne(
  loaded: LoadedManifests,
  manifest: ExpandedManifest,
  flags: ConnectionFlags,
  context: Pick<WorkflowContext, 'cwd' | 'env' | 'report'>,
): Connection {
  if (manifest.clusterName === null) {
    return resolveConnection(flags, context, manifest.cluster, manifest.file);
  }
  return resolveClusterConnection(
    flags,
    context,
    manifest.clusterName,
    manifest.cluster,
    manifest.file,
    loaded.clusters.map((entry) => entry.clusterName ?? ''),
  );
}

/** One cluster's plan, from its (expanded) manifest and its connection. */
export async function planCluster(
  manifest: ExpandedManifest,
  connection: Connection,
  inputs: PlanInputs,
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PlannedFromManifest> {
  const now = context.now();
  const client = createClient(connection);
  const secretsFiles =
    inputs.secretsFiles?.map((file) => resolve(context.cwd, file)) ??
    manifestSecretsFiles(
      manifest,
      dirname(resolve(context.cwd, inputs.file)),
      inputs.mainSecretsFile === undefined
        ? undefined
        : resolve(context.cwd, inputs.mainSecretsFile),
    );
  const [actual, databases, evidence] = await Promise.all([
    client.listTokens(),
    client.listDatabases(),
    readEvidence(secretsFiles),
  ]);

  const { plan: computed, problems: planProblems } = computePlan({
    desired: manifest.tokens,
    desiredDatabases: manifest.databases,
    actual,
    databases,
    now,
    options: {
      prune: inputs.prune === true,
      replace: inputs.replace ?? [],
      only: inputs.only ?? [],
      expiringWithin: inputs.expiringWithin ?? null,
      allowMissingDatabases: inputs.allowMissingDatabases === true,
      lostSecretIds: findLostSecrets(evidence, actual),
      sealedTokenIds: [...evidence.sealedTokenIds],
    },
    target: targetOf(connection),
    manifest: { file: inputs.file, fingerprint: manifest.fingerprint },
    deliveryTargets: manifest.outputs.deliver,
  });
  const plan =
    manifest.clusterName === null ? computed : { ...computed, clusterName: manifest.clusterName };
  // A store's program that is missing fails the plan, before any token is created for it.
  const problems = [
    ...planProblems,
    ...checkPlanDeliveries(
      plan.changes,
      manifest.outputs.deliver,
      dirname(resolve(context.cwd, inputs.file)),
      context.env,
    ),
  ];
  return { plan, problems, manifest, connection, client, actual, databases, evidence };
}

/** Every cluster's manifest: `named` when the manifest has `clusters:`. */
export interface LoadedManifests {
  named: boolean;
  clusters: ExpandedManifest[];
}

/**
 * The manifest, or a ManifestError after every issue was reported; warnings are reported
 * either way. `what` names the file in the error (a saved plan says where it came from).
 */
export async function loadValidManifests(
  file: string,
  context: WorkflowContext,
  now: Date,
  what = `${file} is not valid`,
  consequence = 'nothing was sent to the cluster',
): Promise<LoadedManifests> {
  const loaded = await loadManifest(file, { now, cwd: context.cwd });
  if (!loaded.ok) {
    for (const issue of loaded.issues) context.report.issue(issue);
    const errors = loaded.issues.filter((issue) => issue.severity === 'error').length;
    throw new ManifestError(
      `${what} (${errors === 1 ? '1 problem' : `${errors} problems`}); ${consequence}`,
    );
  }
  for (const warning of loaded.warnings) context.report.issue(warning);
  return { named: loaded.manifest === null, clusters: loaded.clusters };
}

/**
 * As `loadValidManifests`, for the workflows that take one cluster: a manifest with
 * `clusters:` is refused here, with the way to name one (`--cluster`) when the caller has it.
 */
export async function loadValidManifest(
  file: string,
  context: WorkflowContext,
  now: Date,
  what?: string,
  consequence?: string,
  cluster?: string,
): Promise<ExpandedManifest> {
  const loaded = await loadValidManifests(file, context, now, what, consequence);
  return oneCluster(loaded, file, cluster);
}

/** The one cluster a command works on: the only one, or the one `--cluster` names. */
export function oneCluster(
  loaded: LoadedManifests,
  file: string,
  cluster: string | undefined,
): ExpandedManifest {
  const names = loaded.clusters.map((manifest) => manifest.clusterName ?? '');
  if (!loaded.named) {
    if (cluster !== undefined) {
      throw new UsageError(`--cluster ${cluster}: ${file} has no clusters: map`, {
        hint: 'drop --cluster: the manifest names one cluster (cluster:)',
      });
    }
    const [only] = loaded.clusters;
    if (only === undefined) throw new Error(`${file} expanded to no cluster`);
    return only;
  }
  if (cluster === undefined) {
    throw new UsageError(`${file} names several clusters (${names.join(', ')})`, {
      hint: 'say which with --cluster NAME',
    });
  }
  const found = loaded.clusters.find((manifest) => manifest.clusterName === cluster);
  if (found === undefined) throw unknownCluster(cluster, names, file);
  return found;
}

/** `--cluster NAME` that the manifest does not declare. */
export function unknownCluster(
  cluster: string,
  names: readonly string[],
  file: string,
): UsageError {
  return new UsageError(`--cluster ${cluster}: no cluster ${JSON.stringify(cluster)} in ${file}`, {
    hint: didYouMean(cluster, names) ?? `its clusters are ${names.join(', ')}`,
  });
}

/** The main secrets file and every team's, as absolute paths, without repeats. */
export function manifestSecretsFiles(
  manifest: ExpandedManifest,
  folder: string,
  mainFile?: string,
): string[] {
  const files = [secretsFileFor(manifest, folder, null, mainFile)];
  for (const team of manifest.teams) files.push(secretsFileFor(manifest, folder, team, mainFile));
  return [...new Set(files)];
}

// Every file's sealed ids and open intents together: a token may be sealed to its team's file.
async function readEvidence(files: readonly string[]): Promise<SealedEvidence> {
  const indexes = await Promise.all(files.map((file) => readSecretsIndex(file)));
  return {
    sealedTokenIds: new Set(indexes.flatMap((index) => [...index.sealedTokenIds])),
    unresolvedIntents: indexes.flatMap((index) => index.unresolvedIntents),
  };
}

/** The connection without its management token: what a plan records. */
function targetOf(connection: Connection): ManagementTarget {
  return connection.product === 'clustered'
    ? { product: 'clustered', url: connection.url }
    : {
        product: 'dedicated',
        url: connection.url,
        accountId: connection.accountId,
        clusterId: connection.clusterId,
      };
}
