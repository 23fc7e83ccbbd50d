import { assertClusterUrl, waitUntilActive } from '../../api/probe-data-plane.js';
import type { CreatedDatabaseToken } from '../../model/tokens.js';
import type { ClientEvent } from '../../api/types.js';
import { executePlan } from '../../apply/execute-plan.js';
import { applyFailed } from '../../apply/summarise-results.js';
import type { ApplyEvent, ApplySummary } from '../../apply/types.js';
import { UsageError } from '../../errors.js';
import { parseDuration } from '../../manifest/parse-duration.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo } from '../io.js';
import { checkMassRevoke } from '../check-mass-revoke.js';
import { isSavedPlanFile } from '../detect-saved-plan.js';
import { expiringWithinWarning } from '../expiring-within-warning.js';
import { renderApplySummary, renderSealedLine } from '../reporters/apply-summary.js';
import { renderPlanText } from '../reporters/plan-text.js';
import { createCliClient } from '../create-cli-client.js';
import { openSecretSinks } from '../open-secret-sinks.js';
import { preparePlanForApply, type ApplyPlanFlags } from '../prepare-plan-for-apply.js';
import { confirmApply } from '../ui/confirm-apply.js';
import { interruptLine } from '../ui/format-pace.js';
import { startLiveProgress } from '../ui/live-progress.js';
import { jsonProgress, plainProgress } from '../ui/plain-progress.js';
import { ProgressState } from '../ui/progress-state.js';

/** Flags of `provision apply`, as commander parsed them. */
export interface ApplyOptions extends ApplyPlanFlags {
  yes?: boolean;
  concurrency: string;
  recipient?: string[];
  waitActive?: boolean;
  clusterUrl?: string;
  waitTimeout: string;
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
 * `provision apply`: plan (or load a saved plan and check it is fresh), show it, confirm,
 * execute, and seal every new token string the moment it arrives.
 */
export async function applyCommand(options: ApplyOptions, io: CliIo): Promise<number> {
  const concurrency = parseConcurrency(options.concurrency);
  const waitActive = activationWaiter(options);
  const json = options.json === true || options.format === 'json';
  // `-f plan.json` is what people type for a saved plan: treat it as `apply plan.json`.
  const flags =
    options.planFile === undefined && (await isSavedPlanFile(options.file, io.cwd))
      ? { ...options, planFile: options.file, file: 'tokens.yaml' }
      : options;
  const prepared = await preparePlanForApply(flags, io);
  if (prepared === null) return ExitCode.Error;
  const { connection, manifest, manifestFile } = prepared;
  const expiring = expiringWithinWarning(manifest.tokens, options.expiringWithin, new Date());
  const plan =
    expiring === null
      ? prepared.plan
      : { ...prepared.plan, warnings: [...prepared.plan.warnings, expiring] };
  const pending = plan.changes.filter((change) => change.action !== 'no-op');
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
      renderPlanText(plan, { color: io.color, showUnmanaged: false, verbose: options.verbose }),
    );
  }
  if (pending.length + databases === 0) return ExitCode.Ok;

  // Before any key is checked or question asked: an emptied manifest must not be one `y` away.
  const massRevoke = checkMassRevoke(plan, manifest.maxRevokes);
  if (massRevoke !== null && options.allowMassRevoke !== true) {
    throw new UsageError(`refusing to apply: ${massRevoke.message}`, {
      hint:
        massRevoke.maxRevokes === null
          ? 'if the manifest lost tokens by mistake, restore it; if this is intended, run again with --allow-mass-revoke (policy.maxRevokes sets the limit)'
          : 'if this is intended, run again with --allow-mass-revoke, or raise policy.maxRevokes',
    });
  }

  const sinks = openSecretSinks({
    manifest,
    manifestFile,
    secretsFile: options.secretsFile,
    recipients: options.recipient,
    io,
  });
  // Someone must be able to open every file a new string goes to: check before any call.
  for (const change of pending) {
    sinks.prepare(change.team, change.action === 'create' || change.action === 'replace');
  }

  if (options.yes !== true) {
    if (!io.interactive) {
      throw new UsageError('refusing to apply without confirmation: this is not a terminal', {
        hint: 'review the plan, then run apply again with --yes',
      });
    }
    if (!(await confirmApply(io, pending.length + databases))) {
      writeLine(io.stderr, 'Apply cancelled; nothing was changed.');
      return ExitCode.Error;
    }
  }

  // One tally for every display, so the interrupt line, the live counters and the summary agree.
  const state = new ProgressState(pending);
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

  let forward: (event: ApplyEvent) => void = () => undefined;
  const client = createCliClient(connection, options, io, (event: ClientEvent) => {
    if (event.type === 'retry') {
      const retry: ApplyEvent = {
        type: 'retry',
        operation: event.operation,
        attempt: event.attempt,
        delayMs: event.delayMs,
      };
      if (event.status !== undefined) retry.status = event.status;
      forward(retry);
    }
  });
  const run = (onEvent: (event: ApplyEvent) => void): Promise<ApplySummary> => {
    return executePlan({
      connectRetries: (emit) => {
        forward = emit;
      },
      plan,
      client,
      sinkFor: (team) => sinks.sinkFor(team),
      concurrency,
      signal: controller.signal,
      onEvent,
      waitActive,
      sealedTokenIds: prepared.sealedTokenIds,
    });
  };
  const tallied = (show: (event: ApplyEvent) => void) => (event: ApplyEvent) => {
    state.apply(event);
    show(event);
  };

  let summary: ApplySummary;
  try {
    if (json) summary = await run(tallied(jsonProgress(io.stdout)));
    else if (live) {
      const view = startLiveProgress(state, run, io.stdout as NodeJS.WriteStream);
      redraw = view.redraw;
      summary = await view.done;
    } else summary = await run(tallied(plainProgress(io.stdout)));
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await sinks.close();
  }

  if (!json) {
    writeLine(io.stdout);
    writeLine(io.stdout, renderApplySummary(summary));
    const sealed = renderSealedLine(summary.results);
    if (sealed !== null) writeLine(io.stdout, sealed);
  }
  return applyFailed(summary) ? ExitCode.Error : ExitCode.Ok;
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

function parseConcurrency(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 256) {
    throw new UsageError(`--concurrency: "${text}" is not a whole number from 1 to 256`, {
      hint: 'the default, 16, suits most clusters',
    });
  }
  return value;
}
