import { dirname, resolve } from 'node:path';
import type { ClusterDatabase, DatabaseToken } from '../model/tokens.js';
import type { ManagementApi } from '../api/types.js';
import { ManifestError } from '../errors.js';
import { formatIssue } from '../manifest/format-issue.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ExpandedManifest } from '../manifest/types.js';
import { computePlan } from '../plan/compute-plan.js';
import { findLostSecrets, type SealedEvidence } from '../plan/find-lost-secrets.js';
import type { Plan, PlanProblem } from '../plan/types.js';
import { readSecretsIndex } from '../secrets/read-secrets-index.js';
import { createCliClient, type ClientFlags } from './create-cli-client.js';
import { resolveConnection, type Connection, type ConnectionFlags } from './connection.js';
import type { CliIo } from './io.js';
import { secretsFileFor } from './secrets-file-for.js';

/** The flags of `plan` and `apply` that shape a plan (declared once in main.ts). */
export interface PlanFlags extends ConnectionFlags, ClientFlags {
  /** The manifest, relative to `io.cwd`. */
  file: string;
  prune?: boolean;
  replace?: string[];
  only?: string[];
  expiringWithin?: string;
  allowMissingDatabases?: boolean;
}

/** What `plan` and `apply` both ask for before planning. */
export interface PreparePlanOptions extends PlanFlags {
  /**
   * Secrets files to look in for lost strings, relative to `io.cwd`. Default: every file the
   * manifest's outputs name (the main one and each team's), relative to the manifest's folder.
   */
  secretsFiles?: string[];
  /** `apply --secrets-file`: replaces the manifest's main file; team files still count. */
  mainSecretsFile?: string;
}

/** A plan and everything it was made from, so `apply` can act without listing again. */
export interface PreparedPlan {
  plan: Plan;
  /** Non-empty: the plan must not be applied; print these and exit 1. */
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
 * Loads the manifest (nothing is sent to the API unless it is valid), connects, lists the
 * cluster's tokens and databases and reads the secrets files' indexes at once, then plans.
 * Manifest problems go to stderr, one line each, before the one ManifestError.
 */
export async function preparePlan(
  options: PreparePlanOptions,
  io: CliIo,
  now = new Date(),
): Promise<PreparedPlan> {
  const manifestPath = resolve(io.cwd, options.file);
  const loaded = await loadManifest(options.file, { now, cwd: io.cwd });
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.stderr.write(`${formatIssue(issue)}\n`);
    const errors = loaded.issues.filter((issue) => issue.severity === 'error').length;
    throw new ManifestError(
      `${options.file} is not valid (${errors === 1 ? '1 problem' : `${errors} problems`}); nothing was sent to the cluster`,
    );
  }
  for (const warning of loaded.warnings) io.stderr.write(`${formatIssue(warning)}\n`);
  const { manifest } = loaded;

  const connection = resolveConnection(options, io, manifest.cluster);
  const client = createCliClient(connection, options, io);
  const secretsFiles =
    options.secretsFiles?.map((file) => resolve(io.cwd, file)) ??
    manifestSecretsFiles(
      manifest,
      dirname(manifestPath),
      options.mainSecretsFile === undefined ? undefined : resolve(io.cwd, options.mainSecretsFile),
    );
  const [actual, databases, evidence] = await Promise.all([
    client.listTokens(),
    client.listDatabases(),
    readEvidence(secretsFiles),
  ]);

  const { plan, problems } = computePlan({
    desired: manifest.tokens,
    desiredDatabases: manifest.databases,
    actual,
    databases,
    now,
    options: {
      prune: options.prune === true,
      replace: options.replace ?? [],
      only: options.only ?? [],
      expiringWithin: options.expiringWithin ?? null,
      allowMissingDatabases: options.allowMissingDatabases === true,
      lostSecretIds: findLostSecrets(evidence, actual),
      sealedTokenIds: [...evidence.sealedTokenIds],
    },
    target: {
      url: connection.url,
      accountId: connection.accountId,
      clusterId: connection.clusterId,
    },
    manifest: { file: options.file, fingerprint: manifest.fingerprint },
  });
  return { plan, problems, manifest, connection, client, actual, databases, evidence };
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
