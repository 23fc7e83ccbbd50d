import pLimit, { type LimitFunction } from 'p-limit';
import type { ClientEvent, ManagementApi } from '../api/index.js';
import type { PlannedChange } from '../plan/index.js';
import { noteRenamed, noteRevoked } from './annotate-secrets.js';
import { createTokenSealed } from './create-token-sealed.js';
import { startDatabaseChanges, type DatabaseRun } from './execute-databases.js';
import { PartialChangeError } from './partial-change-error.js';
import { createDuplicateResolver } from './resolve-duplicates.js';
import { retireOrRevokeOld } from './retire-or-revoke-old.js';
import { summariseResults } from './summarise-results.js';
import type { ChangeContext } from './change-context.js';
import type { ApplyEvent, ApplyStep, ApplySummary, ChangeResult, ExecuteOptions } from './types.js';
import { describeError } from '../errors.js';

/** Default time a token list may lag behind a create before we believe what it says. */
export const DEFAULT_LIST_SETTLE_MS = 2_000;

/** What every change shares: the client, the API slots, the stop signal and the sweep. */
interface Executor {
  /** What each change's own context is made from. */
  shared: Omit<ChangeContext, 'call' | 'assertMayStart'>;
  client: ManagementApi;
  limit: LimitFunction;
  signal: AbortSignal | undefined;
  /** Changes queued for their first API call: skipped together on Ctrl-C. */
  waiting: Set<() => void>;
}

/**
 * Runs a plan against the API. Every change runs as its own chain of calls; p-limit bounds
 * the API calls in flight, so one slow token never holds up the rest, and one failure
 * never stops the others. Resolves (never rejects for API failures) with every result.
 */
export async function executePlan(options: ExecuteOptions): Promise<ApplySummary> {
  const startedAt = Date.now();
  const emit = options.onEvent ?? (() => undefined);
  const limit = pLimit(Math.max(1, options.concurrency));
  const changes = options.plan.changes.filter((change) => change.action !== 'no-op');
  let retries = 0;
  const countingEmit = (event: ApplyEvent): void => {
    if (event.type === 'retry') retries += 1;
    emit(event);
  };
  // Retries happen inside the client: they reach the counter and the display alike.
  const client = options.connect((event) => {
    if (event.type === 'retry') countingEmit(retryEvent(event));
  });
  const duplicates = createDuplicateResolver({
    client,
    settleMs: options.listSettleMs ?? DEFAULT_LIST_SETTLE_MS,
    limit,
    sealedTokenIds: options.sealedTokenIds ?? new Set(),
    plannedTokenIds: plannedTokenIds(options.plan),
  });
  const executor: Executor = {
    shared: {
      // Creates write their intent (an fsync) before they queue for an API slot, so the disk
      // never holds a slot; this bounds how many intents can be open at once.
      intents: pLimit(2 * Math.max(1, options.concurrency)),
      duplicates,
      now: options.now ?? (() => new Date()),
      emit: countingEmit,
      sinkFor: options.sinkFor,
      waitActive: options.waitActive,
      createRetry: options.createRetry,
    },
    client,
    limit,
    signal: options.signal,
    waiting: new Set(),
  };
  // One listener on the signal, not one per queued change.
  options.signal?.addEventListener(
    'abort',
    () => {
      for (const skip of executor.waiting) skip();
      executor.waiting.clear();
    },
    { once: true },
  );

  const databaseChanges = options.plan.databases.filter((change) => change.action !== 'no-op');
  emit({
    type: 'start',
    total: changes.length,
    concurrency: options.concurrency,
    databases: databaseChanges.length,
  });
  // Databases first: queued before any token, in the same API slots.
  const databases = startDatabaseChanges(
    { client, signal: options.signal, createRetry: options.createRetry },
    databaseChanges,
    limit,
    countingEmit,
  );
  const results = await Promise.all(
    changes.map((change) => runOneChange(change, executor, databases)),
  );
  // Lost creates and concurrent applies may have left a name with several tokens.
  for (const failure of await duplicates.sweep(countingEmit)) results.push(failure);
  const summary = summariseResults(
    results,
    {
      retries,
      reconciliations: duplicates.reconciliations(),
      interrupted: options.signal?.aborted === true,
      elapsedMs: Date.now() - startedAt,
    },
    await databases.results,
  );
  emit({ type: 'summary', result: summary });
  return summary;
}

/** One change from its first call to its result, which it also emits. Never rejects. */
async function runOneChange(
  change: PlannedChange,
  executor: Executor,
  databases: DatabaseRun,
): Promise<ChangeResult> {
  const base = { name: change.name, team: change.team, action: change.action };
  let started = false;
  // The first call of a change is where Ctrl-C stops it; later calls finish the job.
  const assertMayStart = (): void => {
    if (!started && executor.signal?.aborted === true) throw new SkippedError();
  };
  // A step is announced when its call gets a slot, so "in flight" means in flight.
  const run = <T>(step: ApplyStep, fn: (api: ManagementApi) => Promise<T>): Promise<T> => {
    started = true;
    executor.shared.emit({ type: 'step', name: change.name, team: change.team, step });
    return fn(executor.client);
  };
  const call = <T>(step: ApplyStep, fn: (api: ManagementApi) => Promise<T>): Promise<T> => {
    if (started) return executor.limit(() => run(step, fn));
    assertMayStart();
    // Not started yet: on Ctrl-C it is skipped at once, not when a slot frees up (a
    // thousand queued changes would otherwise drain at the speed of the API).
    return new Promise<T>((resolve, reject) => {
      let skipped = false;
      const skip = (): void => {
        skipped = true;
        reject(new SkippedError());
      };
      executor.waiting.add(skip);
      executor
        .limit(() => {
          executor.waiting.delete(skip);
          return skipped ? undefined : run(step, fn);
        })
        .then((value) => {
          resolve(value as T);
        }, reject);
    });
  };
  const { emit } = executor.shared;
  try {
    // Outside any API slot: a token waits only for the databases it names.
    const blocker = await databases.blockerFor(
      change.after?.permissions.map((permission) => permission.resource) ?? [],
    );
    if (blocker?.status === 'skipped') throw new SkippedError();
    if (blocker !== null) {
      throw new Error(
        `not attempted: database "${blocker.name}" was not created (${blocker.error ?? 'unknown error'})`,
      );
    }
    const outcome = await runChange(change, { ...executor.shared, call, assertMayStart });
    const result: ChangeResult = { ...base, status: 'done', ...outcome };
    emit({ type: 'result', result });
    return result;
  } catch (error) {
    const result: ChangeResult =
      error instanceof SkippedError
        ? { ...base, status: 'skipped', error: 'not started: apply was interrupted' }
        : { ...base, status: 'failed', error: describeError(error) };
    // Half a change is still news: the new token exists and its string is sealed.
    if (error instanceof PartialChangeError) {
      result.tokenId = error.tokenId;
      result.secretsFile = error.secretsFile;
    }
    emit({ type: 'result', result });
    return result;
  }
}

function retryEvent(event: ClientEvent & { type: 'retry' }): ApplyEvent {
  const retry: ApplyEvent = {
    type: 'retry',
    operation: event.operation,
    attempt: event.attempt,
    delayMs: event.delayMs,
  };
  if (event.status !== undefined) retry.status = event.status;
  return retry;
}

/** Raised instead of starting a change once the apply was interrupted. */
class SkippedError extends Error {}

/** Every token the plan saw: the sweep leaves them to the plan's own changes. */
function plannedTokenIds(plan: ExecuteOptions['plan']): Set<string> {
  const ids = new Set<string>();
  for (const change of plan.changes) if (change.before !== null) ids.add(change.before.id);
  for (const token of plan.retiring) ids.add(token.id);
  return ids;
}

async function runChange(
  change: PlannedChange,
  ctx: ChangeContext,
): Promise<{ tokenId?: string; secretsFile?: string }> {
  switch (change.action) {
    case 'create':
      return createTokenSealed(change, ctx);
    case 'replace': {
      const created = await createTokenSealed(change, ctx);
      try {
        await retireOrRevokeOld(change, ctx);
      } catch (error) {
        const what = change.retireAt === undefined ? 'revoke' : 'retire';
        throw new PartialChangeError(
          created.tokenId,
          created.secretsFile,
          `the new token ${created.tokenId} was sealed in ${created.secretsFile}, but provision could not ${what} the old token ${change.before?.id ?? ''}: ${describeError(error)}; the next plan does it`,
        );
      }
      return created;
    }
    case 'update': {
      const before = required(change.before, change);
      await ctx.call('updating', (api) => api.updateToken(before.id, change.patch ?? {}));
      await noteRenamed(change, before.id, ctx);
      return { tokenId: before.id };
    }
    case 'revoke': {
      const before = required(change.before, change);
      await ctx.call('revoking', (api) => api.revokeToken(before.id));
      await noteRevoked(change, before.id, ctx);
      return { tokenId: before.id };
    }
    case 'no-op':
      return {};
  }
}

function required<T>(value: T | null, change: PlannedChange): T {
  if (value === null) throw new Error(`plan entry for ${change.name} is missing its token`);
  return value;
}
