import type { ManagementApi } from '../api/index.js';
import type { CreatedDatabaseToken } from '../model/index.js';
import { UsageError } from '../errors.js';
import { executePlan } from '../apply/index.js';
import type { ApplyEvent, ApplySummary } from '../apply/index.js';
import {
  captureSealed,
  checkDeliveryPrograms,
  runDeliveries,
  type DeliveryJob,
  type DeliveryOutcome,
} from '../deliver/index.js';
import { checkMassRevoke, describeMassRevoke } from '../plan/index.js';
import type { PlannedChange } from '../plan/index.js';
import { dirname, resolve } from 'node:path';
import type { ClientFactory, WorkflowContext } from './context.js';
import { openSecretSinks } from './open-secret-sinks.js';
import type { PlanForApply } from './plan-for-apply.js';
import { displayPath } from './display-path.js';

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
  /** How long a token list may lag behind a create (default 2 s; `--list-settle`). */
  listSettleMs?: number | undefined;
  /**
   * Slots shared with other applies running at once (several clusters): every API call of
   * this apply also holds one, so `concurrency` bounds this cluster and the slots all of them.
   */
  sharedSlots?: Slots | undefined;
}

/** Runs a call when a slot is free (a p-limit function, or anything like one). */
export type Slots = <T>(call: () => Promise<T>) => Promise<T>;

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
  /**
   * After `execute`: hands each new string this apply sealed (and that still carries its
   * name) to the manifest's delivery targets. Every string is on disk before any target
   * runs; an interrupted apply delivers nothing (`outcomes: null`), for `secrets deliver`.
   */
  deliver(
    summary: ApplySummary,
    onOutcome?: (outcome: DeliveryOutcome) => void,
  ): Promise<DeliveryRun>;
}

/** What the deliveries after an apply did. */
export interface DeliveryRun {
  /** The deliveries owed: one per sealed token and target it goes to. */
  jobs: DeliveryJob[];
  /** Absolute paths of the secrets files those strings are sealed in. */
  files: string[];
  /** `null` when none was started (the apply was interrupted). */
  outcomes: DeliveryOutcome[] | null;
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
    throw new UsageError(`refusing to apply: ${describeMassRevoke(massRevoke)}`, {
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
  // What was sealed, remembered for the deliveries that run once every file is closed.
  const sealed = captureSealed((team) => sinks.sinkFor(team), context.cwd);
  const folder = dirname(resolve(context.cwd, ready.manifestFile));
  return {
    pending,
    async execute({ signal, onEvent }) {
      try {
        return await executePlan({
          plan,
          connect: (onClientEvent) =>
            inSlots(createClient(ready.connection, onClientEvent), options.sharedSlots),
          sinkFor: sealed.sinkFor,
          concurrency: options.concurrency,
          ...(signal === undefined ? {} : { signal }),
          ...(onEvent === undefined ? {} : { onEvent }),
          ...(options.waitActive === undefined ? {} : { waitActive: options.waitActive }),
          ...(options.listSettleMs === undefined ? {} : { listSettleMs: options.listSettleMs }),
          sealedTokenIds: ready.sealedTokenIds,
          now: context.now,
        });
      } finally {
        await sinks.close();
      }
    },
    close: () => sinks.close(),
    async deliver(summary, onOutcome) {
      const jobs = sealed.jobsFor(summary.results, manifest.outputs.deliver);
      const files = [...new Set(jobs.map((job) => job.secretsFile))];
      if (jobs.length === 0 || summary.interrupted) return { jobs, files, outcomes: null };
      const { programs } = checkDeliveryPrograms(manifest.outputs.deliver, folder, context.env);
      const outcomes = await runDeliveries(
        jobs,
        programs,
        { cwd: folder, env: context.env, labelOf: (path) => displayPath(context.cwd, path) },
        onOutcome,
      );
      return { jobs, files, outcomes };
    },
  };
}

/** The client with every call waiting for one of the shared slots (or as it is, without). */
function inSlots(api: ManagementApi, slots: Slots | undefined): ManagementApi {
  if (slots === undefined) return api;
  return {
    listTokens: (options) => slots(() => api.listTokens(options)),
    getToken: (id, options) => slots(() => api.getToken(id, options)),
    createToken: (body, options) => slots(() => api.createToken(body, options)),
    updateToken: (id, body, options) => slots(() => api.updateToken(id, body, options)),
    revokeToken: (id, options) => slots(() => api.revokeToken(id, options)),
    listDatabases: (options) => slots(() => api.listDatabases(options)),
    createDatabase: (body, options) => slots(() => api.createDatabase(body, options)),
    updateDatabase: (name, body, options) => slots(() => api.updateDatabase(name, body, options)),
  };
}
