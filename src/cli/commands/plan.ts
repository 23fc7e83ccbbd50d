import { resolve } from 'node:path';
import { savePlan, serialisePlan } from '../../plan/index.js';
import { hasChanges } from '../../plan/index.js';
import type { Plan, PlanWarning } from '../../plan/index.js';
import type { Duration, ExpandedManifest } from '../../manifest/index.js';
import { checkMassRevoke } from '../../plan/index.js';
import { expiringWithinWarning } from '../../plan/index.js';
import { planClusters, toPlanSet } from '../../workflows/index.js';
import type { ClusterPlanInputs, PlannedClusters } from '../../workflows/index.js';
import { cliClientFactory, type ClientFlags } from '../create-cli-client.js';
import { ExitCode } from '../exit-codes.js';
import { parseDurationFlag } from '../parse-duration-flag.js';
import type { CliIo } from '../io.js';
import { formatProblem } from '../reporters/format-problem.js';
import { cliContext } from '../workflow-context.js';
import { renderPlanJson } from '../reporters/plan-json.js';
import { renderPlanMarkdown, renderPlanSetMarkdown } from '../reporters/plan-markdown.js';
import { renderPlanSetText, renderPlanText } from '../reporters/plan-text.js';

/** Flags of `provision plan`, as main.ts declares them. */
export interface PlanCommandOptions
  extends
    Omit<ClusterPlanInputs, 'secretsFiles' | 'mainSecretsFile' | 'expiringWithin'>,
    ClientFlags {
  /** `--expiring-within` as typed: parsed here, at the edge. */
  expiringWithin?: string;
  showUnmanaged?: boolean;
  out?: string;
  format?: 'text' | 'json' | 'markdown';
  detailedExitcode?: boolean;
  /** Every change in full in the text form, however many. */
  verbose?: boolean;
}

/**
 * `provision plan`: the plan on stdout, problems on stderr (exit 1). With
 * `--detailed-exitcode`, 2 means "there are changes". `--out` saves it for `apply plan.json`.
 */
export async function planCommand(options: PlanCommandOptions, io: CliIo): Promise<number> {
  const expiringWithin = parseDurationFlag('--expiring-within', options.expiringWithin);
  const planned = await planClusters(
    { ...options, expiringWithin },
    cliContext(io),
    cliClientFactory(options, io),
  );
  const { problems } = planned;
  if (problems.length > 0) {
    for (const problem of problems) io.stderr.write(`${formatProblem(problem)}\n`);
    io.stderr.write(
      `error: cannot plan: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`} above; nothing was changed\n`,
    );
    return ExitCode.Error;
  }
  if (planned.named) return planSetCommand(planned, options, expiringWithin, io);
  const [only] = planned.clusters;
  if (only === undefined) throw new Error('the plan workflow returned no plan');
  const { plan, manifest } = only;
  // The JSON form stays byte for byte what --out saves; people's forms get the CLI's warnings.
  const shown = options.format === 'json' ? plan : withCliWarnings(plan, manifest, expiringWithin);
  io.stdout.write(render(shown, options, io));
  if (options.out !== undefined) {
    await savePlan(resolve(io.cwd, options.out), plan);
    io.stderr.write(
      `Saved the plan to ${options.out}; apply it with: provision apply ${options.out}\n`,
    );
  }
  return options.detailedExitcode === true && hasChanges(plan.summary)
    ? ExitCode.Changes
    : ExitCode.Ok;
}

/** `plan` for a `clusters:` manifest: every cluster's plan, grouped, with the total. */
async function planSetCommand(
  planned: PlannedClusters,
  options: PlanCommandOptions,
  expiringWithin: Duration | undefined,
  io: CliIo,
): Promise<number> {
  const set = toPlanSet(planned, new Date().toISOString());
  const shown = planned.clusters.map(({ plan, manifest }) =>
    withCliWarnings(plan, manifest, expiringWithin),
  );
  const showUnmanaged = options.showUnmanaged === true;
  switch (options.format ?? 'text') {
    case 'json':
      io.stdout.write(serialisePlan(set));
      break;
    case 'markdown':
      io.stdout.write(renderPlanSetMarkdown(shown, { showUnmanaged }));
      break;
    case 'text':
      io.stdout.write(
        renderPlanSetText(shown, { color: io.color, showUnmanaged, verbose: options.verbose }),
      );
  }
  if (options.out !== undefined) {
    await savePlan(resolve(io.cwd, options.out), set);
    io.stderr.write(
      `Saved the plans of ${set.plans.length} clusters to ${options.out}; apply them with: provision apply ${options.out}\n`,
    );
  }
  return options.detailedExitcode === true && hasChanges(set.summary)
    ? ExitCode.Changes
    : ExitCode.Ok;
}

/**
 * What the reviewer must know before apply but the saved plan need not hold: a flag that can
 * do nothing, and a plan that apply will refuse without `--allow-mass-revoke`.
 */
function withCliWarnings(
  plan: Plan,
  manifest: ExpandedManifest,
  expiringWithin: Duration | undefined,
): Plan {
  const extra: PlanWarning[] = [];
  const expiring = expiringWithinWarning(manifest.tokens, expiringWithin, new Date());
  if (expiring !== null) extra.push(expiring);
  const massRevoke = checkMassRevoke(plan, manifest.maxRevokes);
  if (massRevoke !== null) extra.push(massRevoke);
  return extra.length === 0 ? plan : { ...plan, warnings: [...plan.warnings, ...extra] };
}

function render(plan: Plan, options: PlanCommandOptions, io: CliIo): string {
  const showUnmanaged = options.showUnmanaged === true;
  switch (options.format ?? 'text') {
    case 'json':
      return renderPlanJson(plan);
    case 'markdown':
      return renderPlanMarkdown(plan, { showUnmanaged });
    case 'text':
      return renderPlanText(plan, {
        color: io.color,
        showUnmanaged,
        verbose: options.verbose,
      });
  }
}
