import type { CreatedDatabaseToken } from '../model/tokens.js';
import { UsageError } from '../errors.js';
import { executePlan } from '../apply/execute-plan.js';
import type { ApplyEvent, ApplySummary } from '../apply/types.js';
import { checkMassRevoke } from '../plan/check-mass-revoke.js';
import type { PlannedChange } from '../plan/types.js';
import type { ClientFactory, WorkflowContext } from './context.js';
import { openSecretSinks } from './open-secret-sinks.js';
import type { PlanForApply } from './plan-for-apply.js';

/** How an apply runs, once its plan was shown. */
export interface StartApplyOptions {
  /** API calls in flight at once. */
  concurrency: number;
  /** `--recipient`, added to every secrets file's recipients. */
  recipients?: string[] | undefined;
  /** `--secrets-file`: replaces the manifest's main file (team files stay). */
  secretsFile?: string | undefined;
  /** Apply even when the plan revokes or replaces most managed tokens. */
  allowMassRevoke?: boolean | undefined;
  /** Resolves once a new token authenticates on the cluster (`--wait-active`). */
  waitActive?: ((token: CreatedDatabaseToken) => Promise<void>) | undefined;
}

/** An apply that passed every check and has not sent a change yet. */
export interface ReadyApply {
  /** The changes it will make (every entry of the plan but the no-ops). */
  pending: PlannedChange[];
  /** Runs the plan; resolves with every result (API failures are results, not rejections). */
  execute(run: {
    signal?: AbortSignal;
    onEvent?: (event: ApplyEvent) => void;
  }): Promise<ApplySummary>;
  /** Closes the secrets files; `execute` does it itself, this is for a cancelled apply. */
  close(): Promise<void>;
}

/**
 * The checks between showing a plan and confirming it, then the run: the mass-revoke guard
 * (before any key is checked or question asked, so an emptied manifest is not one `y` away),
 * then every secrets file a change writes or annotates is checked for its keys and for who
 * could have written it, all before the first API call.
 */
export function startApply(
  ready: PlanForApply,
  options: StartApplyOptions,
  context: WorkflowContext,
  createClient: ClientFactory,
): ReadyApply {
  const { plan, manifest } = ready;
  const pending = plan.changes.filter((change) => change.action !== 'no-op');
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
    manifestFile: ready.manifestFile,
    secretsFile: options.secretsFile,
    recipients: options.recipients,
    context,
  });
  // Someone must be able to open every file a new string goes to: check before any call.
  for (const change of pending) {
    sinks.prepare(change.team, change.action === 'create' || change.action === 'replace');
  }
  return {
    pending,
    async execute({ signal, onEvent }) {
      try {
        return await executePlan({
          plan,
          connect: (onClientEvent) => createClient(ready.connection, onClientEvent),
          sinkFor: (team) => sinks.sinkFor(team),
          concurrency: options.concurrency,
          ...(signal === undefined ? {} : { signal }),
          ...(onEvent === undefined ? {} : { onEvent }),
          ...(options.waitActive === undefined ? {} : { waitActive: options.waitActive }),
          sealedTokenIds: ready.sealedTokenIds,
          now: context.now,
        });
      } finally {
        await sinks.close();
      }
    },
    close: () => sinks.close(),
  };
}
