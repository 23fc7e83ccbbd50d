import { isUuid } from './is-uuid.js';
import { redactSecrets } from './redact-secrets.js';
import { ShapeError } from './shape-error.js';
import type { OwnerField } from './product-routes.js';
import type { ApiErrorBody } from './types.js';
import type { CreatedDatabaseToken, DatabaseToken, Permission } from '../model/index.js';

/**
 * Minimal checks of response bodies: enough that the planner never works on a half-shaped
 * object. Each reader returns the value rebuilt from known fields only, or throws a
 * `ShapeError` naming the first problem. Databases are read in `read-database.ts`.
 */
export { ShapeError } from './shape-error.js';
export { readDatabase, readDatabaseList } from './read-database.js';

type Json = Record<string, unknown>;

function object(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ShapeError(`${what} is not an object`);
  }
  return value as Json;
}

function string(body: Json, key: string, what: string): string {
  const value = body[key];
  if (typeof value !== 'string') throw new ShapeError(`${what}.${key} is not a string`);
  return value;
}

// A token id ends up in request paths (`…/tokens/{id}`): `.`, `..` or `a/b` must never get there.
function uuid(body: Json, key: string, what: string): string {
  const value = string(body, key, what);
  if (!isUuid(value)) throw new ShapeError(`${what}.${key} is not a UUID`);
  return value;
}

function optionalString(body: Json, key: string, what: string): string | undefined {
  return body[key] === undefined || body[key] === null ? undefined : string(body, key, what);
}

function readPermissions(value: unknown, what: string): Permission[] {
  // Some services omit an empty list; the spec requires it, but [] is the only sane reading.
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ShapeError(`${what}.permissions is not an array`);
  return value.map((item, index) => {
    const permission = object(item, `${what}.permissions[${index}]`);
    return {
      action: string(permission, 'action', `${what}.permissions[${index}]`) as Permission['action'],
      resource: string(permission, 'resource', `${what}.permissions[${index}]`),
    };
  });
}

/** The owner fields the product's spec requires (Dedicated: account and cluster; Clustered: none). */
export function readOwner(
  body: Json,
  owner: readonly OwnerField[],
  what: string,
): Partial<Record<OwnerField, string>> {
  return Object.fromEntries(owner.map((key) => [key, string(body, key, what)]));
}

/** A token as listed, fetched or updated. */
export function readToken(
  value: unknown,
  owner: readonly OwnerField[],
  what = 'token',
): DatabaseToken {
  const body = object(value, what);
  const token: DatabaseToken = {
    ...readOwner(body, owner, what),
    id: uuid(body, 'id', what),
    description: string(body, 'description', what),
    permissions: readPermissions(body.permissions, what),
    createdAt: string(body, 'createdAt', what),
  };
  const expiresAt = optionalString(body, 'expiresAt', what);
  const revokedAt = optionalString(body, 'revokedAt', what);
  if (expiresAt !== undefined) token.expiresAt = expiresAt;
  if (revokedAt !== undefined) token.revokedAt = revokedAt;
  return token;
}

/** The create response, the only one with `accessToken`. */
export function readCreatedToken(
  value: unknown,
  owner: readonly OwnerField[],
): CreatedDatabaseToken {
  const token = readToken(value, owner, 'created token');
  const accessToken = string(object(value, 'created token'), 'accessToken', 'created token');
  if (accessToken === '') throw new ShapeError('created token.accessToken is empty');
  return { ...token, accessToken };
}

export function readTokenList(value: unknown, owner: readonly OwnerField[]): DatabaseToken[] {
  if (!Array.isArray(value)) throw new ShapeError('token list is not an array');
  return value.map((item, index) => readToken(item, owner, `tokens[${index}]`));
}

/** The `{code, message}` of an error response, redacted; undefined when the body is not one. */
export function readErrorBody(
  text: string,
  status: number,
  secrets: readonly string[],
): ApiErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const plain = redactSecrets(text, secrets);
    return plain === '' || plain.startsWith('<') ? undefined : { code: status, message: plain };
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { code, message } = parsed as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return undefined;
  return {
    code: typeof code === 'number' ? code : status,
    message: redactSecrets(message, secrets),
  };
}
