import ky from 'ky';
import { UsageError } from '../errors.js';
import { buildCreateTokenBody } from './build-create-token-body.js';
import { createNodeFetch } from './create-node-fetch.js';
import { assertSafeUrl } from './assert-safe-url.js';
import { assertManagementToken } from './check-management-token.js';
import { ApiError, OutcomeUnknownError, UNTRUSTED_ANSWER_HINT } from './errors.js';
import { readCreatedToken, readToken, readTokenList } from './parse-response.js';
import { readDatabase, readDatabaseList } from './read-database.js';
import { productRoutes } from './product-routes.js';
import { ShapeError } from './shape-error.js';
import { DEFAULT_TIMEOUT_MS, MAX_RESPONSE_BYTES, MAX_TIMEOUT_MS } from './request-limits.js';
import { resolveRetryOptions } from './retry-policy.js';
import { sendRequest, type RequestContext, type RequestSpec } from './send-request.js';
import type { ManagementApi, ManagementClientOptions } from './types.js';

export type {
  ClientEvent,
  ClientSettings,
  ManagementClientOptions,
  RetryOptions,
} from './types.js';
export { DEFAULT_TIMEOUT_MS, MAX_RESPONSE_BYTES, MAX_TIMEOUT_MS } from './request-limits.js';

/** Default Management API base URL of InfluxDB 3 Cloud Dedicated (Clustered has none). */
export const DEFAULT_MANAGEMENT_URL = 'https://console.influxdata.com/api/v0';

/**
 * A typed Management API client for one cluster, Cloud Dedicated or Clustered (`product`:
 * the paths and body shapes of `product-routes.ts`; callers see the same methods). Safe calls (GET, PATCH, DELETE) are
 * retried on 429, 5xx and network errors; a create is never repeated once it may have
 * reached the server and fails with `OutcomeUnknownError` instead.
 *
 * What the server says is data to check: redirects are refused, every body is capped at
 * `maxResponseBytes`, each attempt has one deadline that covers its body, and ids in a
 * response must be UUIDs before any of them goes into a path.
 */
export function createManagementClient(options: ManagementClientOptions): ManagementApi {
  const prefixUrl = assertSafeUrl(options.url);
  // Before the header is built: fetch's own complaint would quote the whole header value.
  assertManagementToken(options.managementToken);
  const timeoutMs = checkPositive(
    'timeoutMs',
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    MAX_TIMEOUT_MS,
  );
  const context: RequestContext = {
    ky: ky.create({
      prefixUrl,
      headers: {
        authorization: `Bearer ${options.managementToken}`,
        accept: 'application/json',
      },
      // Our deadline covers the body too; ky's would stop at the headers.
      timeout: false,
      retry: 0,
      throwHttpErrors: false,
      // A redirect would send the body (and, same-origin, the token) somewhere not reviewed.
      redirect: 'manual',
      // node:http with keep-alive under ky: global fetch costs four times its CPU per call.
      fetch: createNodeFetch() as typeof fetch,
    }),
    retry: resolveRetryOptions(options.retry),
    timeoutMs,
    maxResponseBytes: checkPositive(
      'maxResponseBytes',
      options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
      Number.MAX_SAFE_INTEGER,
    ),
    secrets: [options.managementToken],
    onEvent: options.onEvent,
    signal: options.signal,
  };
  // Every path and body shape of the product comes from this one table.
  const routes = productRoutes(options);
  const owner = routes.ownerFields;

  async function call<T>(
    spec: RequestSpec | (() => RequestSpec),
    read: (body: unknown) => T,
  ): Promise<T> {
    const request = typeof spec === 'function' ? spec() : spec;
    const response = await sendRequest(context, request);
    const operation = `${request.method} /${request.path}`;
    try {
      return read(response.text === '' ? undefined : JSON.parse(response.text));
    } catch (error) {
      const detail = error instanceof ShapeError ? error.message : 'the response is not valid JSON';
      if (!request.repeatable) {
        // The create did happen, but its token string cannot be read: only reconciling helps.
        throw new OutcomeUnknownError({ operation, reason: 'invalid-response', detail });
      }
      throw new ApiError({
        operation,
        status: response.status,
        detail: `unexpected response: ${detail}`,
        hint: UNTRUSTED_ANSWER_HINT,
      });
    }
  }

  return {
    // Each method is async end to end: a refused id rejects, as every other failure does.
    listTokens: (request) =>
      call(
        { method: 'GET', path: routes.tokens, repeatable: true, signal: request?.signal },
        (body) => readTokenList(body, owner),
      ),
    getToken: (tokenId, request) =>
      call(
        () => ({
          method: 'GET',
          path: routes.token(tokenId),
          repeatable: true,
          signal: request?.signal,
        }),
        (body) => readToken(body, owner),
      ),
    createToken: (body, request) =>
      call(
        {
          method: 'POST',
          path: routes.tokens,
          json: buildCreateTokenBody(body),
          repeatable: false,
          signal: request?.signal,
        },
        (value) => readCreatedToken(value, owner),
      ),
    updateToken: (tokenId, body, request) =>
      call(
        () => ({
          method: 'PATCH',
          path: routes.token(tokenId),
          json: body,
          repeatable: true,
          signal: request?.signal,
        }),
        (value) => readToken(value, owner),
      ),
    revokeToken: async (tokenId, request) => {
      await sendRequest(context, {
        method: 'DELETE',
        path: routes.token(tokenId),
        repeatable: true,
        notFoundAfterRetryIsDone: true,
        signal: request?.signal,
      });
    },
    listDatabases: (request) =>
      call(
        { method: 'GET', path: routes.databases, repeatable: true, signal: request?.signal },
        (value) => readDatabaseList(value, owner),
      ),
    createDatabase: (body, request) =>
      call(
        {
          method: 'POST',
          path: routes.databases,
          json: body,
          repeatable: false,
          signal: request?.signal,
        },
        (value) => readDatabase(value, owner, 'created database'),
      ),
    updateDatabase: (name, body, request) =>
      call(
        () => ({
          method: 'PATCH',
          path: routes.database(name),
          json: body,
          repeatable: true,
          signal: request?.signal,
        }),
        (value) => readDatabase(value, owner, 'updated database'),
      ),
  };
}

/** A positive whole number of at most `max`, or a UsageError naming the option. */
function checkPositive(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new UsageError(`${name} must be a whole number from 1 to ${max}, not ${value}`);
  }
  return value;
}
