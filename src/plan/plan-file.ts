import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ClusterDatabase, DatabaseToken } from '../model/index.js';
import { PlanError } from '../errors.js';
import { READ_LIMITS, readRegularFile } from '../files/index.js';
import { fingerprintCluster } from './fingerprint-cluster.js';
import { serialisePlan } from './serialise-plan.js';
import type { Plan, PlanSet } from './types.js';
import { validatePlanSetShape, validatePlanShape } from './validate-plan-shape.js';

/**
 * Writes a plan for a later `apply plan.json`: a temporary file in the same folder, then a
 * rename, so a reader never sees half a plan. Mode 0644: a plan holds no secret.
 */
export async function savePlan(path: string, plan: Plan | PlanSet): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(serialisePlan(plan), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new PlanError(`cannot write ${path}: ${describe(error)}`, { cause: error });
  }
}

/**
 * Reads a saved plan, or a saved set of plans (a manifest with `clusters:`); anything that is
 * not one is a PlanError naming what is wrong.
 */
export async function loadPlan(path: string): Promise<Plan | PlanSet> {
  const read = await readRegularFile(path, READ_LIMITS.planBytes);
  if (!read.ok) {
    throw new PlanError(`cannot read ${path}: ${read.problem}`, {
      hint: 'pass the file that `provision plan --out FILE` wrote',
    });
  }
  const text = read.bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notAPlan(path, 'not JSON');
  }
  const record = value as Record<string, unknown> | null;
  const version = typeof record === 'object' && record !== null ? record.formatVersion : undefined;
  if (typeof version === 'number' && version !== 1) {
    throw new PlanError(
      `${path} has plan format version ${version}; this provision reads version 1`,
      {
        hint: 'make the plan again with this version of provision',
      },
    );
  }
  if (typeof record === 'object' && record !== null && 'plans' in record) {
    const plans = record.plans;
    if (Array.isArray(plans)) {
      for (const plan of plans as unknown[]) {
        if (typeof plan === 'object' && plan !== null) {
          normaliseSavedPlan(plan as Record<string, unknown>);
        }
      }
    }
    const summary = record.summary;
    if (typeof summary === 'object' && summary !== null) {
      normaliseSummary(summary as Record<string, unknown>);
    }
    const problem = validatePlanSetShape(value);
    if (problem !== null) throw notAPlan(path, problem);
    const set = value as PlanSet;
    for (const plan of set.plans) keepWarningData(plan);
    return set;
  }
  if (typeof record === 'object' && record !== null) normaliseSavedPlan(record);
  const problem = validatePlanShape(value);
  if (problem !== null) throw notAPlan(path, problem);
  const plan = value as Plan;
  keepWarningData(plan);
  return plan;
}

// Warnings saved as text (older plans) are not plan warnings; apply shows a fresh plan's.
function keepWarningData(plan: Plan): void {
  plan.warnings = plan.warnings.filter((warning: unknown) => typeof warning === 'object');
}

/**
 * Refuses a saved plan made against another cluster state or another manifest: `apply` must
 * do exactly what the reviewer read, or nothing.
 */
export function assertPlanFresh(
  plan: Plan,
  actual: readonly DatabaseToken[],
  databases: readonly ClusterDatabase[],
  manifestFingerprint?: string,
  planFile = 'the plan',
): void {
  if (fingerprintCluster(actual, databases) !== plan.cluster.fingerprint) {
    throw new PlanError(
      `the cluster changed since ${planFile} was made (its tokens or databases are not what the plan saw); run provision plan again`,
    );
  }
  if (manifestFingerprint !== undefined && manifestFingerprint !== plan.manifest.fingerprint) {
    throw new PlanError(
      `the manifest changed since ${planFile} was made (${plan.manifest.file} is not the file the plan read); run provision plan again`,
    );
  }
}

/**
 * The file says `no-op` (older plans `noop`); the Plan type keeps `noop`. Plans saved before
 * databases were declared have no database section: they load with an empty one.
 */
function normaliseSavedPlan(record: Record<string, unknown>): void {
  record.databases ??= [];
  // Plans saved before Clustered was spoken were all for Cloud Dedicated.
  const target = record.target;
  if (typeof target === 'object' && target !== null && !('product' in target)) {
    record.target = { product: 'dedicated', ...target };
  }
  record.unmanagedDatabases ??= [];
  const summary = record.summary;
  if (typeof summary !== 'object' || summary === null) return;
  normaliseSummary(summary as Record<string, unknown>);
}

function normaliseSummary(counts: Record<string, unknown>): void {
  renameNoop(counts);
  counts.databases ??= { create: 0, update: 0, noop: 0, unmanaged: 0 };
  if (typeof counts.databases === 'object' && counts.databases !== null) {
    renameNoop(counts.databases as Record<string, unknown>);
  }
}

function renameNoop(counts: Record<string, unknown>): void {
  if (!('no-op' in counts)) return;
  counts.noop = counts['no-op'];
  delete counts['no-op'];
}

function notAPlan(path: string, why: string): PlanError {
  return new PlanError(`${path} is not a provision plan (${why})`, {
    hint: 'make one with `provision plan --out plan.json`',
  });
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  return error instanceof Error ? error.message : String(error);
}
