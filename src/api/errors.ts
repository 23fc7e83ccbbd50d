import { STATUS_CODES } from 'node:http';
import { ProvisionError } from '../errors.js';
import type { ApiErrorBody } from './types.js';

/** What to check first for each status the Management API answers with. */
const HINTS: Record<number, string> = {
  401: 'the management token is missing, wrong or expired; set INFLUX_MANAGEMENT_TOKEN or --management-token-file',
  403: 'check INFLUX_ACCOUNT_ID and INFLUX_CLUSTER_ID, and that the management token may manage this cluster',
  404: 'check INFLUX_ACCOUNT_ID and INFLUX_CLUSTER_ID; a token id may belong to a token deleted meanwhile',
  429: 'the API is rate limiting; lower --concurrency or try again later',
};

/** For answers that break the API's contract: oversized, misshapen, ids that are not ids. */
export const UNTRUSTED_ANSWER_HINT =
  'INFLUX_MANAGEMENT_URL may not point at the Management API, or the answer was tampered with on the way';

/**
 * The Management API answered with an error status, or could not be reached at all
 * (`status` undefined) on a call that was safe to retry and kept failing.
 */
export class ApiError extends ProvisionError {
  /** Method and path, e.g. `GET /accounts/…/clusters/…/tokens`. */
  readonly operation: string;
  /** HTTP status; undefined when no response arrived (network error, timeout). */
  readonly status: number | undefined;
  /** The API's error body, already stripped of secrets. */
  readonly body: ApiErrorBody | undefined;

  constructor(options: {
    operation: string;
    status?: number;
    body?: ApiErrorBody | undefined;
    /** Used instead of the status-based text, e.g. for network failures. */
    detail?: string;
    /** Used instead of the status-based hint. */
    hint?: string;
    attempts?: number;
  }) {
    const { operation, status, body } = options;
    const shortOperation = shortenOperation(operation);
    const after =
      options.attempts !== undefined && options.attempts > 1
        ? ` after ${options.attempts} attempts`
        : '';
    let message: string;
    let hint: string | undefined;
    if (status === undefined) {
      message = `${shortOperation} failed${after}: ${options.detail ?? 'no response'}`;
      hint = 'check INFLUX_MANAGEMENT_URL and the network';
    } else {
      const head = `${status} ${STATUS_CODES[status] ?? 'Error'} from ${shortOperation}${after}`;
      const apiMessage = body?.message;
      if (options.detail !== undefined) message = `${head}: ${options.detail}`;
      else if (status === 401) message = `${head}: check INFLUX_MANAGEMENT_TOKEN`;
      else if (status === 403)
        message = `${head}: check the account id, cluster id and token scope`;
      else if (status === 404) message = `${head}: check the account, cluster and token ids`;
      else message = apiMessage ? `${head}: ${apiMessage}` : head;
      hint = options.hint ?? HINTS[status];
      if (apiMessage && (status === 401 || status === 403 || status === 404)) {
        hint = `${hint ?? ''} (the API said: ${apiMessage})`;
      }
    }
    super(message, { hint });
    this.operation = operation;
    this.status = status;
    this.body = body;
  }
}

/** Why a create's outcome is unknown. */
export type OutcomeUnknownReason =
  'timeout' | 'network' | 'server-error' | 'aborted' | 'invalid-response';

/**
 * A create (POST) may or may not have been committed: the request was sent, then the
 * connection failed, timed out, or a 5xx came back. It is never retried blindly; the
 * executor lists tokens to find out what happened.
 */
export class OutcomeUnknownError extends ProvisionError {
  readonly operation: string;
  readonly reason: OutcomeUnknownReason;
  /** The 5xx status, when one arrived. */
  readonly status: number | undefined;

  constructor(options: {
    operation: string;
    reason: OutcomeUnknownReason;
    status?: number;
    detail: string;
  }) {
    super(
      `${shortenOperation(options.operation)}: outcome unknown (${options.detail}); it may have been committed`,
      { hint: 'list the tokens to see whether it was created before trying again' },
    );
    this.operation = options.operation;
    this.reason = options.reason;
    this.status = options.status;
  }
}

/** True for an `ApiError` with status 404. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** `GET /accounts/A/clusters/C/tokens/T` → `GET …/tokens/T`: the ids are in the hint's context. */
function shortenOperation(operation: string): string {
  return operation.replace(/\/accounts\/[^/]+\/clusters\/[^/]+/, '/…').replace(' /…/', ' …/');
}
