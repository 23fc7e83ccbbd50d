import { createHash, timingSafeEqual } from 'node:crypto';
import { matchProductPath, type ProductPathMatch } from '../api/index.js';
import type { Product } from '../model/index.js';
import type { EmulatorStore } from './emulator-store.js';
import { errorReply, parseJson, type Reply } from './http-io.js';
import { checkCreateDatabase, checkUpdateDatabase } from './validate-database-body.js';
import { presentBody } from './present-body.js';
import { checkCreateToken, checkUpdateToken } from './validate-request-body.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Management API request, already read. */
export interface ManagementRequest {
  method: string;
  pathname: string;
  authorization: string | undefined;
  /** Raw body text; undefined when it was too large. */
  bodyText: string | undefined;
}

/** The route key of a request (`GET /tokens`, `PATCH /tokens/{id}`, …) for counters. */
export function managementOperation(product: Product, method: string, pathname: string): string {
  const match = matchProductPath(product, pathname);
  if (match === undefined) return 'unknown';
  const { collection, item } = match;
  return `${method} /${collection}${item === undefined ? '' : collection === 'tokens' ? '/{id}' : '/{name}'}`;
}

/** Whether a route changes state (and so may take the ambiguous-failure fault). */
export function isMutation(operation: string): boolean {
  return /^(POST|PATCH|DELETE) /.test(operation);
}

/**
 * Answers one Management API request the way the product's spec says: 401 before anything
 * else, then (Dedicated) 400 for malformed ids and 403 for another account or cluster, 404,
 * 405, then the operation itself with its body validated (400 `{code, message}`). Paths
 * and body shapes are the product's (`api/product-routes.ts`); the store is the same.
 */
export function routeManagement(
  store: EmulatorStore,
  product: Product,
  managementToken: string,
  lagMs: number,
  request: ManagementRequest,
): Reply {
  if (!isAuthorized(request.authorization, managementToken)) {
    return errorReply(401, 'unauthorized: missing or invalid management token', {
      'www-authenticate': 'Bearer',
    });
  }
  const match = matchProductPath(product, request.pathname);
  if (match === undefined) return errorReply(404, 'not found');
  const reply = checkPathIds(store, match.ids) ?? routeOperation(store, lagMs, request, match);
  return reply.body === undefined ? reply : { ...reply, body: presentBody(product, reply.body) };
}

/** Dedicated paths name an account and a cluster: this emulator serves exactly one of each. */
function checkPathIds(store: EmulatorStore, ids: ProductPathMatch['ids']): Reply | undefined {
  if (ids === undefined) return undefined;
  if (!UUID.test(ids.accountId)) return errorReply(400, 'accountId must be a UUID');
  if (!UUID.test(ids.clusterId)) return errorReply(400, 'clusterId must be a UUID');
  if (
    ids.accountId.toLowerCase() !== store.accountId ||
    ids.clusterId.toLowerCase() !== store.clusterId
  ) {
    return errorReply(
      403,
      'forbidden: the management token has no access to this account and cluster',
    );
  }
  return undefined;
}

function routeOperation(
  store: EmulatorStore,
  lagMs: number,
  request: ManagementRequest,
  { collection, item }: ProductPathMatch,
): Reply {
  const { method } = request;
  if (collection === 'databases') {
    if (item !== undefined) return routeDatabase(store, method, item, request.bodyText);
    if (method === 'GET') return { status: 200, body: [...store.databases.values()] };
    if (method !== 'POST') return notAllowed('GET, POST');
    const body = readJsonBody(request.bodyText);
    if (!body.ok) return body.reply;
    const checked = checkCreateDatabase(body.value);
    if (!checked.ok) return errorReply(400, checked.message);
    const database = store.createDatabase(checked.value);
    if (database === undefined)
      return errorReply(409, `database "${checked.value.name}" already exists`);
    return { status: 200, body: database, committed: true };
  }
  if (item === undefined) {
    if (method === 'GET') return { status: 200, body: store.listTokens(lagMs) };
    if (method !== 'POST') return notAllowed('GET, POST');
    const body = readJsonBody(request.bodyText);
    if (!body.ok) return body.reply;
    const checked = checkCreateToken(body.value);
    if (!checked.ok) return errorReply(400, checked.message);
    return { status: 200, body: store.createToken(checked.value), committed: true };
  }
  if (!UUID.test(item)) return errorReply(400, 'tokenId must be a UUID');
  const tokenId = item.toLowerCase();
  if (method === 'GET') {
    const token = store.getToken(tokenId);
    return token === undefined ? tokenNotFound() : { status: 200, body: token };
  }
  if (method === 'PATCH') {
    const body = readJsonBody(request.bodyText);
    if (!body.ok) return body.reply;
    const checked = checkUpdateToken(body.value);
    if (!checked.ok) return errorReply(400, checked.message);
    const outcome = store.updateToken(tokenId, checked.value);
    if (outcome.found) return { status: 200, body: outcome.value, committed: true };
    // The spec lists 409 for PATCH: a revoked token exists but can no longer change.
    return outcome.revoked
      ? errorReply(409, 'the token is revoked and cannot be updated')
      : tokenNotFound();
  }
  if (method === 'DELETE') {
    const outcome = store.revokeToken(tokenId);
    if (outcome.found) return { status: 204, committed: true };
    // DELETE lists no 409 in the spec: a second revoke finds no active token.
    return outcome.revoked
      ? errorReply(404, 'not found: the token is already revoked')
      : tokenNotFound();
  }
  return notAllowed('GET, PATCH, DELETE');
}

/** `PATCH …/databases/{name}`: limits and retention; the partition template never changes. */
function routeDatabase(
  store: EmulatorStore,
  method: string,
  item: string,
  bodyText: string | undefined,
): Reply {
  let name: string;
  try {
    name = decodeURIComponent(item);
  } catch {
    return errorReply(400, 'databaseName is not a valid path segment');
  }
  if (method !== 'PATCH') return notAllowed('PATCH');
  const body = readJsonBody(bodyText);
  if (!body.ok) return body.reply;
  const checked = checkUpdateDatabase(body.value);
  if (!checked.ok) return errorReply(400, checked.message);
  const database = store.updateDatabase(name, checked.value);
  if (database === undefined) return errorReply(404, 'not found: no database with this name');
  const { partitionTemplate: _template, ...shown } = database;
  // The spec's PATCH response has no partitionTemplate.
  return { status: 200, body: shown, committed: true };
}

function tokenNotFound(): Reply {
  return errorReply(404, 'not found: no database token with this id');
}

function notAllowed(allow: string): Reply {
  return errorReply(405, 'method not allowed', { allow });
}

function readJsonBody(
  text: string | undefined,
): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  if (text === undefined) return { ok: false, reply: errorReply(413, 'request body too large') };
  if (text.trim() === '') return { ok: false, reply: errorReply(400, 'request body is required') };
  const parsed = parseJson(text);
  return parsed.ok
    ? parsed
    : { ok: false, reply: errorReply(400, 'request body is not valid JSON') };
}

/** Constant-time comparison of the bearer token, via digests of equal length. */
function isAuthorized(header: string | undefined, managementToken: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(managementToken));
}
