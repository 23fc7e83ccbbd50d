import type { LimitFunction } from 'p-limit';
import type { ManagementApi } from '../api/index.js';
import type { PlannedDatabaseChange } from '../plan/index.js';
import { describeError } from '../errors.js';
import { createDatabaseOnce } from './create-database-once.js';
import type { ApplyEvent, DatabaseResult, DatabaseStep, ExecuteOptions } from './types.js';

/** What the token changes need from the database changes under way. */
export interface DatabaseRun {
  /** Every database result, once all are in. */
  results: Promise<DatabaseResult[]>;
  /**
   * Resolves once every database these permissions name that this apply creates is there;
   * `null` when all are, else why the token must not be attempted.
   */
  blockerFor(resources: readonly string[]): Promise<DatabaseResult | null>;
}

/**
 * Starts every database change at once, in the apply's API slots (queued before any token,
 * so they are served first). Creates and updates never stop one another; an interrupted
 * apply skips those not started. A token waits only for the creates it needs.
 */
export function startDatabaseChanges(
  options: {
    client: ManagementApi;
    signal: AbortSignal | undefined;
    createRetry: ExecuteOptions['createRetry'];
  },
  changes: readonly PlannedDatabaseChange[],
  limit: LimitFunction,
  emit: (event: ApplyEvent) => void,
): DatabaseRun {
  const creates = new Map<string, Promise<DatabaseResult>>();
  const all = changes
    .filter((change) => change.action !== 'no-op')
    .map((change) => {
      const running = runOne(change);
      if (change.action === 'create') creates.set(change.name, running);
      return running;
    });

  async function runOne(change: PlannedDatabaseChange): Promise<DatabaseResult> {
    const action = change.action === 'create' ? 'create' : 'update';
    const base = { name: change.name, team: change.team, action } as const;
    let started = false;
    const call = <T>(step: DatabaseStep, fn: (api: ManagementApi) => Promise<T>): Promise<T> =>
      limit(() => {
        // The first call is where Ctrl-C stops a change; later calls finish the job.
        if (!started && options.signal?.aborted === true) throw new NotStarted();
        started = true;
        emit({ type: 'database-step', name: change.name, team: change.team, step });
        return fn(options.client);
      });
    let result: DatabaseResult;
    try {
      if (action === 'create') await createDatabaseOnce(change, call, options.createRetry);
      else await call('updating', (api) => api.updateDatabase(change.name, change.patch ?? {}));
      result = { ...base, status: 'done' };
    } catch (error) {
      result =
        error instanceof NotStarted
          ? { ...base, status: 'skipped', error: 'not started: apply was interrupted' }
          : { ...base, status: 'failed', error: describeError(error) };
    }
    emit({ type: 'database', result });
    return result;
  }

  return {
    results: Promise.all(all),
    async blockerFor(resources) {
      for (const resource of new Set(resources)) {
        const pending = creates.get(resource);
        if (pending === undefined) continue;
        const result = await pending;
        if (result.status !== 'done') return result;
      }
      return null;
    },
  };
}

/** Raised instead of starting a database change once the apply was interrupted. */
class NotStarted extends Error {}
