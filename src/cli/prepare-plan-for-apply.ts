import { resolve } from 'node:path';
import { ManifestError, PlanError, UsageError } from '../errors.js';
import { formatIssue } from '../manifest/format-issue.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ExpandedManifest } from '../manifest/types.js';
import { findPlanDifference } from '../plan/compare-plans.js';
import { assertPlanFresh, loadPlan } from '../plan/plan-file.js';
import type { Plan } from '../plan/types.js';
import { formatProblem } from './commands/plan.js';
import { resolveConnection, type Connection } from './connection.js';
import type { CliIo } from './io.js';
import { preparePlan, type PlanFlags } from './prepare-plan.js';

// `-f`'s default in main.ts: with a saved plan, the plan names its manifest.
const DEFAULT_MANIFEST = 'tokens.yaml';

/** The apply flags that shape a plan. */
export interface ApplyPlanFlags extends PlanFlags {
  /** The `[planFile]` argument; undefined when apply plans afresh. */
  planFile?: string | undefined;
  secretsFile?: string;
}

export interface PlanForApply {
  plan: Plan;
  manifest: ExpandedManifest;
  /** The manifest's path as given; its outputs are relative to its folder. */
  manifestFile: string;
  connection: Connection;
  /** Ids the secrets files held when planning, for the apply's final sweep (custody rule). */
  sealedTokenIds?: ReadonlySet<string>;
}

/**
 * Plans afresh from the manifest, or loads a saved plan and proves it still describes the
 * cluster and the manifest (else refuses: apply does exactly what the reviewer read, or
 * nothing). Prints problems and returns `null` when the plan must not be applied.
 */
export async function preparePlanForApply(
  flags: ApplyPlanFlags,
  io: CliIo,
): Promise<PlanForApply | null> {
  if (flags.planFile !== undefined) return loadSavedPlan(flags, flags.planFile, io);

  // Lost strings are looked for where this apply seals them.
  const prepared = await preparePlan({ ...flags, mainSecretsFile: flags.secretsFile }, io);
  if (prepared.problems.length > 0) {
    for (const problem of prepared.problems) io.stderr.write(`${formatProblem(problem)}\n`);
    io.stderr.write(
      `error: cannot apply: ${prepared.problems.length} problem(s) above; nothing was changed\n`,
    );
    return null;
  }
  return {
    plan: prepared.plan,
    manifest: prepared.manifest,
    manifestFile: flags.file,
    connection: prepared.connection,
    sealedTokenIds: prepared.evidence.sealedTokenIds,
  };
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
  flags: ApplyPlanFlags,
  planFile: string,
  io: CliIo,
): Promise<PlanForApply> {
  const shaping = ['prune', 'replace', 'only', 'expiringWithin', 'allowMissingDatabases'] as const;
  const mixed = shaping.filter((key) => flags[key] !== undefined);
  if (mixed.length > 0) {
    throw new UsageError(`a saved plan cannot be changed with --${kebab(mixed[0] ?? '')}`, {
      hint: 'make a new plan with those flags: provision plan … --out plan.json',
    });
  }
  const saved = await loadPlan(resolve(io.cwd, planFile));
  const manifestFile = saved.manifest.file;
  if (
    flags.file !== DEFAULT_MANIFEST &&
    resolve(io.cwd, flags.file) !== resolve(io.cwd, manifestFile)
  ) {
    throw new UsageError(`${planFile} was made from ${manifestFile}, not ${flags.file}`, {
      hint: `apply it without -f, or plan again with -f ${flags.file}`,
    });
  }
  const loaded = await loadManifest(manifestFile, { now: new Date(), cwd: io.cwd });
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.stderr.write(`${formatIssue(issue)}\n`);
    throw new ManifestError(`${manifestFile}, which ${planFile} was made from, is not valid`);
  }
  // Before any request carries the management token: the target is the reviewed one.
  const connection = resolveConnection(flags, io, loaded.manifest.cluster);
  const targetProblem = compareTarget(saved.target, connection);
  if (targetProblem !== null) {
    throw new PlanError(`${planFile} was made for ${targetProblem}`, {
      hint: 'apply it with the connection it was planned with (flags, environment, manifest), or plan again',
    });
  }
  const prepared = await preparePlan(
    {
      ...flags,
      file: manifestFile,
      prune: saved.options.prune,
      replace: [...saved.options.replace],
      only: [...saved.options.only],
      ...(saved.options.expiringWithin === null
        ? {}
        : { expiringWithin: saved.options.expiringWithin }),
      ...(saved.options.allowMissingDatabases === true ? { allowMissingDatabases: true } : {}),
      mainSecretsFile: flags.secretsFile,
    },
    io,
  );
  if (prepared.problems.length > 0) {
    for (const problem of prepared.problems) io.stderr.write(`${formatProblem(problem)}\n`);
    throw new PlanError(
      `cannot apply ${planFile}: a fresh plan has ${prepared.problems.length} problem(s) above; nothing was changed`,
    );
  }
  assertPlanFresh(
    saved,
    prepared.actual,
    prepared.databases,
    loaded.manifest.fingerprint,
    planFile,
  );
  const difference = findPlanDifference(saved.changes, prepared.plan.changes);
  if (difference !== null) {
    throw new PlanError(
      `${planFile} is not the plan the manifest and the cluster give now (${difference}); nothing was changed`,
      { hint: 'a saved plan runs only as made: run provision plan --out again and review it' },
    );
  }
  return {
    plan: prepared.plan,
    manifest: prepared.manifest,
    manifestFile,
    connection,
    sealedTokenIds: prepared.evidence.sealedTokenIds,
  };
}

/** What differs between the plan's recorded target and the trusted connection, or `null`. */
function compareTarget(target: Plan['target'], connection: Connection): string | null {
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
