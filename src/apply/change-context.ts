import type { LimitFunction } from 'p-limit';
import type { ManagementApi } from '../api/index.js';
import type { createDuplicateResolver } from './resolve-duplicates.js';
import type { CreatedDatabaseToken } from '../model/index.js';
import type { ApplyEvent, ApplyStep, CreateRetryOptions, SecretSink } from './types.js';

/** What each change's chain of calls shares with the executor that runs it. */
export interface ChangeContext {
  /** One API call in an API slot, announced as `step`. */
  call: <T>(step: ApplyStep, fn: (api: ManagementApi) => Promise<T>) => Promise<T>;
  /** Slots for writing intents before a create queues for an API slot. */
  intents: LimitFunction;
  /** Throws when the apply was interrupted before this change made its first call. */
  assertMayStart: () => void;
  /** The secrets file a token's string goes to, by its team. */
  sinkFor: (team: string | null) => { sink: SecretSink; path: string };
  /** `--wait-active`: resolves once a new token authenticates. */
  waitActive: ((token: CreatedDatabaseToken) => Promise<void>) | undefined;
  createRetry: CreateRetryOptions | undefined;
  duplicates: ReturnType<typeof createDuplicateResolver>;
  now: () => Date;
  emit: (event: ApplyEvent) => void;
}
