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
import { loadValidManifest, planFromManifest, type PlanInputs } from './plan-from-manifest.js';
import { resolveConnection } from './resolve-connection.js';

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

/**
 * Plans afresh from the manifest, or loads a saved plan and proves it still describes the
 * cluster and the manifest (else throws: apply does exactly what the reviewer read, or
 * nothing). A fresh plan with problems is returned as such, for the caller to show.
 */
export async function planForApply(
  inputs: ApplyPlanInputs,
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PlanForApply | PlanRefused> {
  if (inputs.planFile !== undefined) {
    return loadSavedPlan(inputs, inputs.planFile, context, createClient);
  }
  // Lost strings are looked for where this apply seals them.
  const prepared = await planFromManifest(
    { ...inputs, mainSecretsFile: inputs.secretsFile },
    context,
    createClient,
  );
  if (prepared.problems.length > 0) return { ok: false, problems: prepared.problems };
  return {
    ok: true,
    plan: prepared.plan,
    manifest: prepared.manifest,
    manifestFile: inputs.file,
    connection: prepared.connection,
    sealedTokenIds: prepared.evidence.sealedTokenIds,
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
 * runs (and is printed) is the fresh plan.
 */
async function loadSavedPlan(
  flags: ApplyPlanInputs,
  planFile: string,
  context: WorkflowContext,
  createClient: ClientFactory,
): Promise<PlanForApply> {
  const shaping = ['prune', 'replace', 'only', 'expiringWithin', 'allowMissingDatabases'] as const;
  const mixed = shaping.filter((key) => flags[key] !== undefined);
  if (mixed.length > 0) {
    throw new UsageError(`a saved plan cannot be changed with --${kebab(mixed[0] ?? '')}`, {
      hint: 'make a new plan with those flags: provision plan … --out plan.json',
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
  const manifest = await loadValidManifest(
    manifestFile,
    context,
    context.now(),
    `${manifestFile}, which ${planFile} was made from, is not valid`,
  );
  // Before any request carries the management token: the target is the reviewed one.
  const connection = resolveConnection(flags, context, manifest.cluster, manifestFile);
  const targetProblem = compareTarget(saved.target, connection);
  if (targetProblem !== null) {
    throw new PlanError(`${planFile} was made for ${targetProblem}`, {
      hint: 'apply it with the connection it was planned with (flags, environment, manifest), or plan again',
    });
  }
  const prepared = await planFromManifest(
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
  if (prepared.problems.length > 0) {
    throw new SavedPlanProblemsError(
      `cannot apply ${planFile}: a fresh plan has ${prepared.problems.length} problem(s) above; nothing was changed`,
      prepared.problems,
    );
  }
  assertPlanFresh(saved, prepared.actual, prepared.databases, manifest.fingerprint, planFile);
  const difference =
    findDatabaseDifference(saved.databases, prepared.plan.databases) ??
    findPlanDifference(saved.changes, prepared.plan.changes);
  if (difference !== null) {
    throw new PlanError(
      `${planFile} is not the plan the manifest and the cluster give now (${difference}); nothing was changed`,
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
