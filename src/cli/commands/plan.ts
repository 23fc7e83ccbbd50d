import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { parseDuration } from '../../manifest/parse-duration.js';
import { savePlan } from '../../plan/plan-file.js';
import { hasChanges } from '../../plan/summarise-plan.js';
import type { Plan, PlanProblem } from '../../plan/types.js';
import type { ExpandedManifest } from '../../manifest/types.js';
import { checkMassRevoke } from '../check-mass-revoke.js';
import { ExitCode } from '../exit-codes.js';
import { expiringWithinWarning } from '../expiring-within-warning.js';
import type { CliIo } from '../io.js';
import { preparePlan, type PlanFlags } from '../prepare-plan.js';
import { renderPlanJson } from '../reporters/plan-json.js';
import { renderPlanMarkdown } from '../reporters/plan-markdown.js';
import { renderPlanText } from '../reporters/plan-text.js';

/** Flags of `provision plan`, as main.ts declares them. */
export interface PlanCommandOptions extends PlanFlags {
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
  if (options.expiringWithin !== undefined && parseDuration(options.expiringWithin) === null) {
    throw new UsageError(`--expiring-within: "${options.expiringWithin}" is not a duration`, {
      hint: 'write it like 7d, 12h or 30m',
    });
  }
  const { plan, problems, manifest } = await preparePlan(options, io);
  if (problems.length > 0) {
    for (const problem of problems) io.stderr.write(`${formatProblem(problem)}\n`);
    io.stderr.write(
      `error: cannot plan: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`} above; nothing was changed\n`,
    );
    return ExitCode.Error;
  }
  // The JSON form stays byte for byte what --out saves; people's forms get the CLI's warnings.
  const shown = options.format === 'json' ? plan : withCliWarnings(plan, manifest, options);
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

/** `file:line:col: message; hint`, or `error: message; hint` when no place is known. */
export function formatProblem(problem: PlanProblem): string {
  const where =
    problem.source === undefined
      ? 'error'
      : `${problem.source.file}:${problem.source.line}:${problem.source.column}`;
  return `${where}: ${problem.message}${problem.hint === undefined ? '' : `; ${problem.hint}`}`;
}

/**
 * What the reviewer must know before apply but the saved plan need not hold: a flag that can
 * do nothing, and a plan that apply will refuse without `--allow-mass-revoke`.
 */
function withCliWarnings(
  plan: Plan,
  manifest: ExpandedManifest,
  options: PlanCommandOptions,
): Plan {
  const extra: string[] = [];
  const expiring = expiringWithinWarning(manifest.tokens, options.expiringWithin, new Date());
  if (expiring !== null) extra.push(expiring);
  const massRevoke = checkMassRevoke(plan, manifest.maxRevokes);
  if (massRevoke !== null) {
    extra.push(`${massRevoke.message}: apply will refuse it without --allow-mass-revoke`);
  }
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
      return renderPlanText(plan, { color: io.color, showUnmanaged, verbose: options.verbose });
  }
}
