import { resolve } from 'node:path';
import { ManifestError, PlanError, UsageError } from '../errors.js';
import { formatIssue } from '../manifest/format-issue.js';
import { loadManifest } from '../manifest/load-manifest.js';
import type { ExpandedManifest } from '../manifest/types.js';
import { assertPlanFresh, loadPlan } from '../plan/plan-file.js';
import type { Plan } from '../plan/types.js';
import { formatProblem } from './commands/plan.js';
import { createCliClient } from './create-cli-client.js';
import { resolveConnection, type Connection } from './connection.js';
import type { CliIo } from './io.js';
import { preparePlan, type PlanFlags } from './prepare-plan.js';

/** The apply flags that shape a plan. */
export interface ApplyPlanFlags extends PlanFlags {
  planFile?: string;
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
  const plan = await loadPlan(resolve(io.cwd, planFile));
  const manifestFile = plan.manifest.file;
  const loaded = await loadManifest(manifestFile, { now: new Date(), cwd: io.cwd });
  if (!loaded.ok) {
    for (const issue of loaded.issues) io.stderr.write(`${formatIssue(issue)}\n`);
    throw new ManifestError(`${manifestFile}, which ${planFile} was made from, is not valid`);
  }
  const connection = resolveConnection(flags, io, {
    ...loaded.manifest.cluster,
    url: plan.target.url,
    accountId: plan.target.accountId,
    clusterId: plan.target.clusterId,
  });
  if (
    connection.accountId !== plan.target.accountId ||
    connection.clusterId !== plan.target.clusterId
  ) {
    throw new PlanError(
      `${planFile} was made for cluster ${plan.target.clusterId} (account ${plan.target.accountId}), not for cluster ${connection.clusterId}`,
      { hint: 'apply it with the connection it was planned with, or plan again' },
    );
  }
  const client = createCliClient(connection, flags, io);
  const [actual, databases] = await Promise.all([client.listTokens(), client.listDatabases()]);
  assertPlanFresh(
    plan,
    actual,
    databases.map((database) => database.name),
    loaded.manifest.fingerprint,
    planFile,
  );
  return { plan, manifest: loaded.manifest, manifestFile, connection };
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
