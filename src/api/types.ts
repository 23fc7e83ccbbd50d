/**
 * Types of the InfluxDB 3 Management API (Cloud Dedicated and Clustered), as in its OpenAPI specs
 * (`GetDatabaseTokens`, `CreateDatabaseToken`, `UpdateDatabaseToken`, `GetClusterDatabases`).
 */

import type { CreateDatabaseRequest, UpdateDatabaseRequest } from '../model/index.js';
import type { ProductIds } from './product-routes.js';
import type {
  ClusterDatabase,
  CreatedDatabaseToken,
  CreateTokenRequest,
  DatabaseToken,
  UpdateTokenRequest,
} from '../model/index.js';

// The domain types live in src/model/; the API layer re-exports them for its callers.
export type {
  CreateDatabaseRequest,
  DatabaseSettings,
  PartitionTemplatePart,
  UpdateDatabaseRequest,
} from '../model/index.js';

/** The error body of every non-2xx response. */
export interface ApiErrorBody {
  code: number;
  message: string;
}

/** What the planner and executor need from the Management API. */
export interface ManagementApi {
  listTokens(options?: RequestOptions): Promise<DatabaseToken[]>;
  getToken(tokenId: string, options?: RequestOptions): Promise<DatabaseToken>;
  /** Never retried blindly: an ambiguous failure throws `OutcomeUnknownError`. */
  createToken(body: CreateTokenRequest, options?: RequestOptions): Promise<CreatedDatabaseToken>;
  updateToken(
    tokenId: string,
    body: UpdateTokenRequest,
    options?: RequestOptions,
  ): Promise<DatabaseToken>;
  /** Resolves when the token is revoked, including when a retry finds it already gone. */
  revokeToken(tokenId: string, options?: RequestOptions): Promise<void>;
  listDatabases(options?: RequestOptions): Promise<ClusterDatabase[]>;
  /**
   * Never retried blindly: an ambiguous failure throws `OutcomeUnknownError`; a name taken
   * already is an `ApiError` with status 409.
   */
  createDatabase(body: CreateDatabaseRequest, options?: RequestOptions): Promise<ClusterDatabase>;
  /** PATCH of retention and limits (the partition template cannot change); retried like GET. */
  updateDatabase(
    name: string,
    body: UpdateDatabaseRequest,
    options?: RequestOptions,
  ): Promise<ClusterDatabase>;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** How the client retries the calls that are safe to repeat. */
export interface RetryOptions {
  /** Retries after the first attempt (default 5). 0 turns retrying off. */
  limit?: number;
  /** First backoff ceiling in ms; doubles per attempt, full jitter (default 250). */
  baseDelayMs?: number;
  /** Ceiling of the exponential backoff in ms (default 10 000). */
  maxDelayMs?: number;
  /** Longest `Retry-After` the client will honour, in ms (default 30 000). */
  maxRetryAfterMs?: number;
  /**
   * Most time one call may wait between attempts, in ms (default 60 000): a retry whose
   * delay would overrun it is not made, and the last failure is reported instead.
   */
  budgetMs?: number;
}

/**
 * Settings of `createManagementClient`: the product and its ids (a Dedicated cluster by
 * account and cluster id, the default; a Clustered one by `product: 'clustered'` alone).
 */
export type ManagementClientOptions = ClientSettings & ProductIds;

/** The settings every product's client shares. */
export interface ClientSettings {
  /** Base URL including `/api/v0`; plain `http://` only to loopback. */
  url: string;
  /** Visible ASCII only; anything else is refused before a request is made. */
  managementToken: string;
  /**
   * Deadline of each attempt in ms, covering the response headers and the whole body
   * (default 60 000, at most 3 600 000).
   */
  timeoutMs?: number;
  /** Largest response body read, in bytes (default `MAX_RESPONSE_BYTES`, 128 MiB). */
  maxResponseBytes?: number;
  retry?: RetryOptions;
  /** Progress of requests and retries; never carries headers, bodies or secrets. */
  onEvent?: (event: ClientEvent) => void;
  /** Aborts every call of this client. */
  signal?: AbortSignal;
}

/** Why an attempt failed in a way that may be retried. */
export type RetryReason = 'rate-limited' | 'server-error' | 'network' | 'timeout';

/** A failed attempt is about to be repeated after `delayMs`. */
export interface RetryEvent {
  type: 'retry';
  /** e.g. `GET /accounts/…/clusters/…/tokens`. */
  operation: string;
  /** The attempt that failed, counting from 1. */
  attempt: number;
  /** HTTP status of the failed attempt, absent on network errors and timeouts. */
  status?: number;
  reason: RetryReason;
  delayMs: number;
}

/** A response arrived (any status). */
export interface ResponseEvent {
  type: 'response';
  operation: string;
  attempt: number;
  status: number;
  durationMs: number;
}

/** Typed progress of the client, for counters and `--debug`. */
export type ClientEvent = RetryEvent | ResponseEvent;
