import { assertClusterUrl, waitUntilActive } from '../../api/index.js';
import type { CreatedDatabaseToken } from '../../model/index.js';
import { applyFailed, mergeSummaries } from '../../apply/index.js';
import type { ApplyEvent, ApplySummary } from '../../apply/index.js';
import type { Plan, PlanProblem } from '../../plan/index.js';
import { UsageError } from '../../errors.js';
import { isZeroDuration, parseDuration } from '../../manifest/index.js';
import { expiringWithinWarning } from '../../plan/index.js';
import {
  DEFAULT_MANIFEST,
  planClustersForApply,
  SavedPlanProblemsError,
  type ApplyPlanInputs,
} from '../../workflows/index.js';
import { startClusterApplies, type ClusterSummary } from '../../workflows/index.js';
import { cliClientFactory, type ClientFlags } from '../create-cli-client.js';
import { ExitCode } from '../exit-codes.js';
import { parseConcurrency } from '../parse-concurrency.js';
import { parseDurationFlag } from '../parse-duration-flag.js';
import { writeLine, type CliIo } from '../io.js';
import { isSavedPlanFile } from '../detect-saved-plan.js';
import { renderApplySummary, renderSealedLine } from '../reporters/apply-summary.js';
import { formatProblem } from '../reporters/format-problem.js';
import { renderPlanSetText, renderPlanText } from '../reporters/plan-text.js';
import { labelChange, labelEvent, labelSummary } from '../ui/cluster-labels.js';
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
  /** `--cluster NAME` (repeatable): only these clusters of a `clusters:` manifest. */
  clusters?: string[];
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
  const ready = await planClustersForApply(inputs, context, createClient).catch(
    (error: unknown) => {
      if (error instanceof SavedPlanProblemsError) printProblems(error.problems, io);
      throw error;
    },
  );
  if (!ready.ok) {
    printProblems(ready.problems, io);
    io.stderr.write(
      `error: cannot apply: ${ready.problems.length} problem(s) above; nothing was changed\n`,
    );
    return ExitCode.Error;
  }
  const plans = ready.clusters.map(({ plan, manifest }) => {
    const expiring = expiringWithinWarning(manifest.tokens, expiringWithin, new Date());
    return expiring === null ? plan : { ...plan, warnings: [...plan.warnings, expiring] };
  });
  showPlans(plans, ready.named, json, options.verbose, io);
  const pendingDatabases = plans.reduce(
    (sum, plan) => sum + plan.databases.filter((change) => change.action !== 'no-op').length,
    0,
  );
  const pendingTokens = plans.reduce(
    (sum, plan) => sum + plan.changes.filter((change) => change.action !== 'no-op').length,
    0,
  );
  if (pendingTokens + pendingDatabases === 0) return ExitCode.Ok;

  const applies = startClusterApplies(
    ready.clusters,
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
      await applies.close();
      throw new UsageError('refusing to apply without confirmation: this is not a terminal', {
        hint: 'review the plan, then run apply again with --yes',
      });
    }
    if (!(await confirmApply(io, pendingTokens + pendingDatabases))) {
      await applies.close();
      writeLine(io.stderr, 'Apply cancelled; nothing was changed.');
      return ExitCode.Error;
    }
  }

  // One tally for every display, so the interrupt line, the live counters and the summary agree.
  const state = new ProgressState(
    applies.clusters.flatMap(({ cluster, apply }) =>
      apply.pending.map((change) => labelChange(cluster, change)),
    ),
  );
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
  let summaries: ClusterSummary[] = [];
  // Every cluster's apply at once, seen as one: names labelled by cluster for the text views.
  const run = async (onEvent: (event: ApplyEvent) => void): Promise<ApplySummary> => {
    summaries = await applies.execute({
      signal: controller.signal,
      onEvent: (cluster, event) => {
        // One summary line for the whole apply, printed below; the clusters' are folded in.
        if (event.type === 'summary' && ready.named) return;
        onEvent(labelEvent(cluster, event));
      },
    });
    return mergeSummaries(summaries.map(({ cluster, summary }) => labelSummary(cluster, summary)));
  };
  const tallied = (show: (event: ApplyEvent) => void) => (event: ApplyEvent) => {
    state.apply(event);
    show(event);
  };

  let summary: ApplySummary;
  try {
    if (json) {
      const print = jsonProgress(io.stdout);
      summaries = await applies.execute({
        signal: controller.signal,
        onEvent: (cluster, event) => {
          state.apply(labelEvent(cluster, event));
          print(event, cluster);
        },
      });
      summary = mergeSummaries(summaries.map((entry) => entry.summary));
    } else if (live) {
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
    if (ready.named) {
      for (const { cluster, summary: own } of summaries) {
        writeLine(io.stdout, `cluster ${cluster ?? ''}: ${describeCounts(own)}`);
      }
    }
    writeLine(io.stdout, renderApplySummary(summary));
    const sealed = renderSealedLine(summary.results);
    if (sealed !== null) writeLine(io.stdout, sealed);
  }
  let delivered = true;
  for (const [index, { apply }] of applies.clusters.entries()) {
    const part = ready.clusters[index];
    const own = summaries[index]?.summary;
    if (part === undefined || own === undefined) continue;
    const ok = await deliverAfterApply(apply, own, part.manifest, part.manifestFile, json, io);
    delivered &&= ok;
  }
  return applyFailed(summary) || !delivered ? ExitCode.Error : ExitCode.Ok;
}

/** The plan before the question: text (grouped by cluster), or one JSON line per plan. */
function showPlans(
  plans: readonly Plan[],
  named: boolean,
  json: boolean,
  verbose: boolean | undefined,
  io: CliIo,
): void {
  if (!json) {
    const options = { color: io.color, showUnmanaged: false, verbose };
    const [only] = plans;
    io.stdout.write(
      named || only === undefined
        ? renderPlanSetText(plans, options)
        : renderPlanText(only, options),
    );
    return;
  }
  for (const plan of plans) {
    const { noop, databases: databaseSummary, ...counts } = plan.summary;
    const { noop: databaseNoop, ...databaseCounts } = databaseSummary;
    writeLine(
      io.stdout,
      JSON.stringify({
        type: 'plan',
        ...(named ? { cluster: plan.clusterName } : {}),
        summary: {
          ...counts,
          'no-op': noop,
          databases: { ...databaseCounts, 'no-op': databaseNoop },
        },
        warnings: plan.warnings,
      }),
    );
  }
}

/** `2 created, 1 failed` for one cluster's line above the summary table. */
function describeCounts(summary: ApplySummary): string {
  const { counts, databaseCounts } = summary;
  const parts = [
    counts.create > 0 ? `${counts.create} created` : '',
    counts.update > 0 ? `${counts.update} updated` : '',
    counts.replace > 0 ? `${counts.replace} replaced` : '',
    counts.revoke > 0 ? `${counts.revoke} revoked` : '',
    databaseCounts.create + databaseCounts.update > 0
      ? `${databaseCounts.create + databaseCounts.update} database changes`
      : '',
    counts.failed + databaseCounts.failed > 0
      ? `${counts.failed + databaseCounts.failed} failed`
      : '',
    counts.skipped + databaseCounts.skipped > 0
      ? `${counts.skipped + databaseCounts.skipped} not started`
      : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? 'nothing to do' : parts.join(', ');
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
