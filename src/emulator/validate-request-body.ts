import { check, fail, type Checked } from './body-check.js';
import type { CreateTokenRequest, Permission, UpdateTokenRequest } from '../model/index.js';

export type { Checked } from './body-check.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function asObject(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail('request body must be a JSON object');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) fail(`unknown field "${key}"`);
  }
  return record;
}

function readPermissions(value: unknown): Permission[] {
  if (!Array.isArray(value)) fail('permissions must be an array');
  return value.map((item, index) => {
    const permission = asObject(item, ['action', 'resource']);
    const { action, resource } = permission;
    if (action !== 'read' && action !== 'write') {
      fail(`permissions[${index}].action must be "read" or "write"`);
    }
    if (typeof resource !== 'string' || resource.length < 1 || resource.length > 64) {
      fail(`permissions[${index}].resource must be a database name (1-64 characters) or "*"`);
    }
    return { action, resource };
  });
}

function readDescription(value: unknown): string {
  if (typeof value !== 'string') fail('description must be a string');
  return value;
}

/** RFC 3339 in, the service's own normalised form (UTC, milliseconds) out. */
export function readTimestamp(value: unknown, field: string): string {
  if (typeof value !== 'string' || !RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    fail(`${field} must be an RFC 3339 date-time such as 2025-01-31T00:00:00Z`);
  }
  return new Date(value).toISOString();
}

/**
 * `POST …/tokens`: description required; permissions and expiresAt optional. Both forms the
 * docs show are accepted: the spec's (no `expirationType`) and the current product page's
 * (`"expirationType": "datetime"` with `expiresAt`, or `"noExpiration"` without); a type that
 * contradicts `expiresAt` is a 400 (token-behaviour.md, "Where the docs and the spec disagree").
 */
export function checkCreateToken(
  body: unknown,
): Checked<Required<Omit<CreateTokenRequest, 'expiresAt'>> & { expiresAt?: string }> {
  return check(() => {
    const record = asObject(body, ['description', 'permissions', 'expiresAt', 'expirationType']);
    if (!('description' in record)) fail('description is required');
    checkExpirationType(record.expirationType, record.expiresAt !== undefined);
    return {
      description: readDescription(record.description),
      permissions: record.permissions === undefined ? [] : readPermissions(record.permissions),
      ...(record.expiresAt === undefined
        ? {}
        : { expiresAt: readTimestamp(record.expiresAt, 'expiresAt') }),
    };
  });
}

function checkExpirationType(type: unknown, hasExpiry: boolean): void {
  if (type === undefined) return;
  if (type === 'datetime' && !hasExpiry) fail('expirationType "datetime" needs expiresAt');
  else if (type === 'noExpiration' && hasExpiry)
    fail('expirationType "noExpiration" cannot come with expiresAt');
  else if (type !== 'datetime' && type !== 'noExpiration')
    fail('expirationType must be "datetime" or "noExpiration"');
}

/** `PATCH …/tokens/{id}`: at least one of description and permissions, never expiresAt. */
export function checkUpdateToken(body: unknown): Checked<UpdateTokenRequest> {
  return check(() => {
    if (typeof body === 'object' && body !== null && 'expiresAt' in body) {
      fail('expiresAt cannot be changed; create a new token instead');
    }
    const record = asObject(body, ['description', 'permissions']);
    if (Object.keys(record).length === 0) fail('request body must set description or permissions');
    const update: UpdateTokenRequest = {};
    if ('description' in record) update.description = readDescription(record.description);
    if ('permissions' in record) update.permissions = readPermissions(record.permissions);
    return update;
  });
}
