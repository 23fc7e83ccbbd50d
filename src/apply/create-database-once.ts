import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, OutcomeUnknownError } from '../api/index.js';
import { backoffDelay } from '../api/index.js';
import type { ManagementApi } from '../api/index.js';
import type { ClusterDatabase } from '../model/index.js';
import {
  PATCHABLE_DATABASE_FIELDS,
  samePartitionTemplate,
  type CreateDatabaseRequest,
  type UpdateDatabaseRequest,
} from '../model/index.js';
import type { PlannedDatabaseChange } from '../plan/index.js';
import { DEFAULT_CREATE_RETRY } from './create-token-sealed.js';
import type { CreateRetryOptions, DatabaseStep } from './types.js';

type Call = <T>(step: DatabaseStep, fn: (api: ManagementApi) => Promise<T>) => Promise<T>;

/**
 * Creates a declared database exactly once, whatever the network does. A create is never
 * repeated blindly: when its outcome is unknown, the list says whether it committed, and
 * only a database not listed is created again (with backoff). A 409 means the name is
 * taken, by this apply's earlier attempt or by someone else: the listed database counts as
 * done when it matches the declaration; its retention and limits are set by a PATCH when
 * they differ, and a different partition template is a failure (it cannot change).
 */
export async function createDatabaseOnce(
  change: PlannedDatabaseChange,
  call: Call,
  options: CreateRetryOptions = {},
): Promise<void> {
  const retry = { ...DEFAULT_CREATE_RETRY, ...options };
  const body: CreateDatabaseRequest = { name: change.name, ...change.after };
  for (let attempt = 1; ; attempt += 1) {
    try {
      await call('creating', (api) => api.createDatabase(body));
      return;
    } catch (error) {
      const conflict = error instanceof ApiError && error.status === 409;
      if (!conflict && !(error instanceof OutcomeUnknownError)) throw error;
      // A 409 says the database exists: a list that lags behind may need a few looks.
      const looks = conflict ? retry.attempts : 1;
      const found = await findListed(change.name, call, looks, retry);
      if (found !== undefined) return settle(change, found, call);
      if (conflict) {
        throw new Error(
          `database "${change.name}" already exists (409), but the database list does not show it`,
        );
      }
      if (attempt >= retry.attempts) throw error;
      await sleep(backoffDelay(attempt, retry));
    }
  }
}

async function findListed(
  name: string,
  call: Call,
  looks: number,
  retry: Required<CreateRetryOptions>,
): Promise<ClusterDatabase | undefined> {
  for (let look = 1; look <= looks; look += 1) {
    const listed = await call('reconciling', (api) => api.listDatabases());
    const found = listed.find((database) => database.name === name);
    if (found !== undefined || look === looks) return found;
    await sleep(backoffDelay(look, retry));
  }
  return undefined;
}

/** The database is there: make what the manifest declares true, or say why it cannot be. */
async function settle(change: PlannedDatabaseChange, found: ClusterDatabase, call: Call) {
  const wanted = change.after.partitionTemplate;
  if (wanted !== undefined && !samePartitionTemplate(wanted, found.partitionTemplate)) {
    throw new Error(
      `database "${change.name}" already exists with another partition template, which cannot be changed`,
    );
  }
  const patch: UpdateDatabaseRequest = {};
  for (const field of PATCHABLE_DATABASE_FIELDS) {
    const value = change.after[field];
    if (value !== undefined && value !== found[field]) patch[field] = value;
  }
  if (Object.keys(patch).length > 0) {
    await call('updating', (api) => api.updateDatabase(change.name, patch));
  }
}
