import type { CreatedDatabaseToken } from '../model/index.js';
import type { ClientEvent, ManagementApi } from '../api/index.js';
import type { ChangeAction, DatabaseAction, Plan } from '../plan/index.js';
import type { SecretRecord } from '../secrets/index.js';

/**
 * Where new token strings go. `beginCreate` is durable before the create request is sent,
 * `seal` before the executor does anything more for that token: a crash at any point leaves
 * either a sealed string or an unresolved intent that the next plan turns into a rotation.
 * `recordRenamed` and `recordRevoked` keep the file truthful (which string is current, under
 * which name); call them after the rename or revoke succeeded. They write nothing when the
 * token's file does not exist (no string of it was sealed there).
 */
export interface SecretSink {
  beginCreate(name: string, team: string | null): Promise<string>;
  seal(intentId: string, record: SecretRecord): Promise<void>;
  abandon(intentId: string): Promise<void>;
  /** After a rename (`previousNames`) of a token: it now carries `to`. */
  recordRenamed(tokenId: string, from: string, to: string): Promise<void>;
  /** After a token was revoked (a revoke, a retire, a duplicate or stray swept). */
  recordRevoked(tokenId: string, name: string): Promise<void>;
}

/** Progress, as typed events: the CLI decides how to show them. Never carries a secret. */
export type ApplyEvent =
  | {
      type: 'start';
      total: number;
      concurrency: number;
      databases: number;
      /** Set by the caller of a `clusters:` apply, which runs one executor per cluster. */
      cluster?: string;
    }
  | { type: 'database-step'; name: string; team: string | null; step: DatabaseStep }
  | { type: 'database'; result: DatabaseResult }
  | { type: 'step'; name: string; team: string | null; step: ApplyStep }
  | { type: 'retry'; operation: string; attempt: number; status?: number; delayMs: number }
  | { type: 'reconcile'; name: string; team: string | null; found: number }
  | { type: 'result'; result: ChangeResult }
  | { type: 'summary'; result: ApplySummary };

export type ApplyStep =
  | 'creating'
  | 'reconciling'
  | 'activating'
  | 'revoking-old'
  | 'retiring-old'
  | 'updating'
  | 'revoking';

/** What a database change is doing now. */
export type DatabaseStep = 'creating' | 'updating' | 'reconciling';

/** How one database change ended. */
export interface DatabaseResult {
  name: string;
  team: string | null;
  action: Exclude<DatabaseAction, 'no-op'>;
  status: 'done' | 'failed' | 'skipped';
  /** One line, never a secret. */
  error?: string;
}

/** How one planned change ended. */
export interface ChangeResult {
  name: string;
  team: string | null;
  action: ChangeAction;
  status: 'done' | 'failed' | 'skipped';
  /** The token that now carries the name (the new one after a create or replace). */
  tokenId?: string;
  /** Where its string was sealed; present only when a string really was sealed there. */
  secretsFile?: string;
  /** One line, never a secret. */
  error?: string;
}

export interface ApplySummary {
  results: ChangeResult[];
  counts: Record<ChangeAction | 'failed' | 'skipped', number>;
  /** Database changes, run before the tokens that need them. */
  databases: DatabaseResult[];
  databaseCounts: Record<Exclude<DatabaseAction, 'no-op'> | 'failed' | 'skipped', number>;
  retries: number;
  reconciliations: number;
  interrupted: boolean;
  elapsedMs: number;
}

export interface ExecuteOptions {
  plan: Plan;
  /**
   * Makes the client the executor calls, subscribed to its events: retries happen inside the
   * client, and the executor counts them and passes them on like every other event.
   */
  connect: (onEvent: (event: ClientEvent) => void) => ManagementApi;
  /** Chooses the secrets file for a token by its team. */
  sinkFor: (team: string | null) => { sink: SecretSink; path: string };
  /** API calls in flight at once. */
  concurrency: number;
  /** Stops new work; what has started finishes, and what the API returned is sealed. */
  signal?: AbortSignal;
  onEvent?: (event: ApplyEvent) => void;
  /**
   * `--wait-active`: resolves once a new token authenticates on the cluster (throws on
   * timeout). Runs after its string is sealed and before a replaced token is retired.
   */
  waitActive?: ((token: CreatedDatabaseToken) => Promise<void>) | undefined;
  /** How long a list may lag behind a create (reconciling an ambiguous create). */
  listSettleMs?: number;
  /**
   * Ids of tokens whose strings the planning evidence found sealed (the secrets files the
   * manifest names, as read by `preparePlan`). The final sweep keeps to the planner's custody
   * rule with these and the ids this apply seals itself. Absent: only the latter.
   */
  sealedTokenIds?: ReadonlySet<string> | undefined;
  /** How a create whose outcome is unknown is tried again (tests make it fast). */
  createRetry?: CreateRetryOptions;
  now?: () => Date;
}

/** Retries of a create whose outcome is unknown. */
export interface CreateRetryOptions {
  /** Attempts in all (default 8). */
  attempts?: number;
  /** Full-jitter backoff: base and ceiling in ms (defaults 200 and 5 000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
}
