import ky from 'ky';
import { buildCreateTokenBody } from './build-create-token-body.js';
import { assertSafeUrl } from './assert-safe-url.js';
import { ApiError, OutcomeUnknownError } from './errors.js';
import {
  ShapeError,
  readCreatedToken,
  readDatabaseList,
  readToken,
  readTokenList,
} from './parse-response.js';
import { resolveRetryOptions } from './retry-policy.js';
import { sendRequest, type RequestContext, type RequestSpec } from './send-request.js';
import type { ManagementApi, ManagementClientOptions } from './types.js';

export type { ClientEvent, ManagementClientOptions, RetryOptions } from './types.js';

/** Default Management API base URL of InfluxDB 3 Cloud Dedicated. */
export const DEFAULT_MANAGEMENT_URL = 'https://console.influxdata.com/api/v0';

/**
 * A typed Management API client for one cluster. Safe calls (GET, PATCH, DELETE) are
 * retried on 429, 5xx and network errors; a create is never repeated once it may have
 * reached the server and fails with `OutcomeUnknownError` instead.
 */
export function createManagementClient(options: ManagementClientOptions): ManagementApi {
  const prefixUrl = assertSafeUrl(options.url);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const context: RequestContext = {
    ky: ky.create({
      prefixUrl,
      headers: {
        authorization: `Bearer ${options.managementToken}`,
        accept: 'application/json',
      },
      timeout: timeoutMs,
      retry: 0,
      throwHttpErrors: false,
    }),
    retry: resolveRetryOptions(options.retry),
    timeoutMs,
    secrets: [options.managementToken],
    onEvent: options.onEvent,
    signal: options.signal,
  };
  const cluster = `accounts/${encodeURIComponent(options.accountId)}/clusters/${encodeURIComponent(options.clusterId)}`;
  const tokenPath = (tokenId: string): string => `${cluster}/tokens/${encodeURIComponent(tokenId)}`;

  async function call<T>(spec: RequestSpec, read: (body: unknown) => T): Promise<T> {
    const response = await sendRequest(context, spec);
    const operation = `${spec.method} /${spec.path}`;
    try {
      return read(response.text === '' ? undefined : JSON.parse(response.text));
    } catch (error) {
      const detail = error instanceof ShapeError ? error.message : 'the response is not valid JSON';
      if (!spec.repeatable) {
        // The create did happen, but its token string cannot be read: only reconciling helps.
        throw new OutcomeUnknownError({ operation, reason: 'invalid-response', detail });
      }
      throw new ApiError({
        operation,
        status: response.status,
        detail: `unexpected response: ${detail}`,
      });
    }
  }

  return {
    listTokens: (request) =>
      call(
        { method: 'GET', path: `${cluster}/tokens`, repeatable: true, signal: request?.signal },
        readTokenList,
      ),
    getToken: (tokenId, request) =>
      call(
        { method: 'GET', path: tokenPath(tokenId), repeatable: true, signal: request?.signal },
        (body) => readToken(body),
      ),
    createToken: (body, request) =>
      call(
        {
          method: 'POST',
          path: `${cluster}/tokens`,
          json: buildCreateTokenBody(body),
          repeatable: false,
          signal: request?.signal,
        },
        readCreatedToken,
      ),
    updateToken: (tokenId, body, request) =>
      call(
        {
          method: 'PATCH',
          path: tokenPath(tokenId),
          json: body,
          repeatable: true,
          signal: request?.signal,
        },
        (value) => readToken(value),
      ),
    revokeToken: async (tokenId, request) => {
      await sendRequest(context, {
        method: 'DELETE',
        path: tokenPath(tokenId),
        repeatable: true,
        notFoundAfterRetryIsDone: true,
        signal: request?.signal,
      });
    },
    listDatabases: (request) =>
      call(
        { method: 'GET', path: `${cluster}/databases`, repeatable: true, signal: request?.signal },
        readDatabaseList,
      ),
  };
}
