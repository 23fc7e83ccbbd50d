import type { CreateTokenRequest } from '../model/index.js';

/**
 * The body of `POST …/tokens`, built here and nowhere else.
 *
 * The choice: the OpenAPI spec's form — `description`, `permissions`, and `expiresAt` only
 * when the token expires; no `expirationType`. Why: the spec is the contract this client is
 * tested against (`test/contract`), and the 2024 product page sends the same. The current
 * product page adds `"expirationType": "datetime"` (with `expiresAt`) or `"noExpiration"`, a
 * field the spec does not define and nobody has checked against the live service (see
 * `token-behaviour.md`). Should the service come to require it, this is the one place to
 * change; the emulator accepts both forms.
 */
export function buildCreateTokenBody(request: CreateTokenRequest): CreateTokenRequest {
  const body: CreateTokenRequest = { description: request.description };
  if (request.permissions !== undefined) body.permissions = request.permissions;
  if (request.expiresAt !== undefined) body.expiresAt = request.expiresAt;
  return body;
}
