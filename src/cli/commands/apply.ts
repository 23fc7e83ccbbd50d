import { assertClusterUrl, waitUntilActive } from '../../api/index.js';
import type { CreatedDatabaseToken } from '../../model/index.js';
import { applyFailed } from '../../apply/index.js';
import type { ApplyEvent, ApplySummary } from '../../apply/index.js';
import type { PlanProblem } from '../../plan/index.js';
import { UsageError } from '../../errors.js';
import { isZeroDuration, parseDuration } from '../../manifest/index.js';
import { expiringWithinWarning } from '../../plan/index.js';
import {
  DEFAULT_MANIFEST,
  planForApply,
  SavedPlanProblemsError,
  type ApplyPlanInputs,
} from '../../workflows/index.js';
import { startApply } from '../../workflows/index.js';
import { cliClientFactory, type ClientFlags } from '../create-cli-client.js';
import { ExitCode } from '../exit-codes.js';
import { parseConcurrency } from '../parse-concurrency.js';
import { parseDurationFlag } from '../parse-duration-flag.js';
import { writeLine, type CliIo } from '../io.js';
import { isSavedPlanFile } from '../detect-saved-plan.js';
import { renderApplySummary, renderSealedLine } from '../reporters/apply-summary.js';
import { formatProblem } from '../reporters/format-problem.js';
import { renderPlanText } from '../reporters/plan-text.js';
import { deliverAfterApply } from '../deliver-after-apply.js';
import { confirmApply } from '../ui/confirm-apply.js';
import { interruptLine } from '../ui/format-pace.js';
import { startLiveProgress } from '../ui/live-progress.js';
import { jsonProgress, plainProgress } from '../ui/plain-progress.js';
import { ProgressState } from '../ui/progress-state.js';
import { cliContext } from '../workflow-context.js';

// A list lagging longer than this is an outage, not lag: the sweep should not wait on it.
const MAX_LIST_SETTLE_MS = 5 * 60_000;

/** Flags of `provision apply`, as commander parsed them. */
export interface ApplyOptions extends Omit<ApplyPlanInputs, 'expiringWithin'>, ClientFlags {
  /** `--expiring-within` as typed: parsed here, at the edge. */
  expiringWithin?: string;
  yes?: boolean;
  concurrency: string;
  recipient?: string[];
  waitActive?: boolean;
  clusterUrl?: string;
  waitTimeout: string;
  /** `--list-settle`: how long the cluster's token list may lag behind a create. */
  listSettle: string;
  /** `--format json`: one JSON event per line. */
  format?: 'text' | 'json';
  /** `--json`, the older spelling of `--format json`. */
  json?: boolean;
  /** Apply even when the plan revokes or replaces most managed tokens. */
  allowMassRevoke?: boolean;
  /** Show every change before the prompt, however many. */
  verbose?: boolean;
}

/**
 * `provision apply`: the apply workflow (plan or check a saved plan, guard, open the secrets
 * files, execute and seal) with the terminal around it: the plan shown, the question asked,
 * progress drawn, Ctrl-C turned into a stop signal, the summary printed.
 */
export async function applyCommand(options: ApplyOptions, io: CliIo): Promise<number> {
  const concurrency = parseConcurrency(options.concurrency, 'the default, 16, suits most clusters');
  const waitActive = activationWaiter(options);
  // 0s is allowed here: a cluster whose token list never lags needs no wait at all.
  const listSettle = isZeroDuration(options.listSettle)
    ? { text: options.listSettle, ms: 0 }
    : parseDurationFlag('--list-settle', options.listSettle, 'write it like 2s or 30s, or 0s');
  const json = options.json === true || options.format === 'json';
  const context = cliContext(io);
  const createClient = cliClientFactory(options, io);
  // `-f plan.json` is what people type for a saved plan: treat it as `apply plan.json`.
  const expiringWithin = parseDurationFlag('--expiring-within', options.expiringWithin);
  const flags = { ...options, expiringWithin };
  const inputs =
    options.planFile === undefined && (await isSavedPlanFile(options.file, io.cwd))
      ? { ...flags, planFile: options.file, file: DEFAULT_MANIFEST }
      : flags;
  const ready = await planForApply(inputs, context, createClient).catch((error: unknown) => {
    if (error instanceof SavedPlanProblemsError) printProblems(error.problems, io);
    throw error;
  });
  if (!ready.ok) {
    printProblems(ready.problems, io);
    io.stderr.write(
      `error: cannot apply: ${ready.problems.length} problem(s) above; nothing was changed\n`,
    );
    return ExitCode.Error;
  }
  const expiring = expiringWithinWarning(ready.manifest.tokens, expiringWithin, new Date());
  const plan =
    expiring === null
      ? ready.plan
      : { ...ready.plan, warnings: [...ready.plan.warnings, expiring] };
  const databases = plan.databases.filter((change) => change.action !== 'no-op').length;
  if (json) {
    const { noop, databases: databaseSummary, ...counts } = plan.summary;
    const { noop: databaseNoop, ...databaseCounts } = databaseSummary;
    writeLine(
      io.stdout,
      JSON.stringify({
        type: 'plan',
        summary: {
          ...counts,
          'no-op': noop,
          databases: { ...databaseCounts, 'no-op': databaseNoop },
        },
        warnings: plan.warnings,
      }),
    );
  } else {
    io.stdout.write(
      renderPlanText(plan, {
        color: io.color,
        showUnmanaged: false,
        verbose: options.verbose,
      }),
    );
  }
  if (plan.changes.every((change) => change.action === 'no-op') && databases === 0) {
    return ExitCode.Ok;
  }

  const apply = startApply(
    ready,
    {
      concurrency,
      recipients: options.recipient,
      secretsFile: options.secretsFile,
      allowMassRevoke: options.allowMassRevoke,
      waitActive,
      ...(listSettle === undefined
        ? {}
        : { listSettleMs: Math.min(listSettle.ms, MAX_LIST_SETTLE_MS) }),
    },
    context,
    createClient,
  );
  if (options.yes !== true) {
    if (!io.interactive) {
      throw new UsageError('refusing to apply without confirmation: this is not a terminal', {
        hint: 'review the plan, then run apply again with --yes',
      });
    }
    if (!(await confirmApply(io, apply.pending.length + databases))) {
      await apply.close();
      writeLine(io.stderr, 'Apply cancelled; nothing was changed.');
      return ExitCode.Error;
    }
  }

  // One tally for every display, so the interrupt line, the live counters and the summary agree.
  const state = new ProgressState(apply.pending);
  const live = !json && io.color && io.interactive;
  let redraw = (): void => undefined;
  const controller = new AbortController();
  const onSigint = (): void => {
    if (!controller.signal.aborted) {
      state.interrupted = true;
      // listr2 holds the streams while it draws: the live view shows the line itself.
      if (live) redraw();
      else writeLine(io.stderr, interruptLine(state));
    }
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const run = (onEvent: (event: ApplyEvent) => void): Promise<ApplySummary> =>
    apply.execute({ signal: controller.signal, onEvent });
  const tallied = (show: (event: ApplyEvent) => void) => (event: ApplyEvent) => {
    state.apply(event);
    show(event);
  };

  let summary: ApplySummary;
  try {
    if (json) summary = await run(tallied(jsonProgress(io.stdout)));
    else if (live) {
      const view = startLiveProgress(state, run, io.stdout);
      redraw = view.redraw;
      summary = await view.done;
    } else summary = await run(tallied(plainProgress(io.stdout)));
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }

  if (!json) {
    writeLine(io.stdout);
    writeLine(io.stdout, renderApplySummary(summary));
    const sealed = renderSealedLine(summary.results);
    if (sealed !== null) writeLine(io.stdout, sealed);
  }
  const delivered = await deliverAfterApply(
    apply,
    summary,
    ready.manifest,
    ready.manifestFile,
    json,
    io,
  );
  return applyFailed(summary) || !delivered ? ExitCode.Error : ExitCode.Ok;
}

function printProblems(problems: readonly PlanProblem[], io: CliIo): void {
  for (const problem of problems) io.stderr.write(`${formatProblem(problem)}\n`);
}

/** `--wait-active`: poll the cluster's data endpoint until each new token authenticates. */
function activationWaiter(
  options: ApplyOptions,
): ((token: CreatedDatabaseToken) => Promise<void>) | undefined {
  if (options.waitActive !== true) return undefined;
  const clusterUrl = options.clusterUrl;
  if (clusterUrl === undefined) {
    throw new UsageError('--wait-active needs --cluster-url', {
      hint: 'the cluster data URL, e.g. https://CLUSTER_ID.a.influxdb.io',
    });
  }
  assertClusterUrl(clusterUrl);
  const timeout = parseDuration(options.waitTimeout);
  if (timeout === null) {
    throw new UsageError(`--wait-timeout: "${options.waitTimeout}" is not a duration`, {
      hint: 'write it like 10m, 90s or 1h',
    });
  }
  return async (token) => {
    // Any answer but 401 (even 403 or 404) proves the token is live.
    const named = token.permissions.find((permission) => permission.resource !== '*');
    await waitUntilActive({
      clusterUrl,
      token: token.accessToken,
      database: named?.resource ?? 'provision-activation-probe',
      timeoutMs: timeout.ms,
      intervalMs: Math.min(2_000, Math.max(100, timeout.ms / 20)),
    });
  };
}
