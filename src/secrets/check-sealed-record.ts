import type { SealedLine } from './parse-secrets-file.js';
import type { SecretRecord } from './types.js';

/**
 * The decrypted payload of a sealed line, if it is a token record for the very token the
 * line names. The plaintext fields (name, team, token id, times) are what `list`, the
 * planner and `export` go by; the payload binds them, so a line whose fields were edited,
 * or whose `data` was swapped with another line's, is caught here instead of believed.
 */
export function checkSealedRecord(
  line: SealedLine,
  payload: unknown,
): SecretRecord | 'not-a-record' | 'mismatch' {
  if (!isSecretRecord(payload)) return 'not-a-record';
  const same =
    payload.name === line.name &&
    payload.team === line.team &&
    payload.tokenId === line.tokenId &&
    payload.createdAt === line.createdAt &&
    payload.expiresAt === line.expiresAt &&
    payload.sealedAt === line.sealedAt;
  return same ? payload : 'mismatch';
}

function isSecretRecord(value: unknown): value is SecretRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    ['name', 'tokenId', 'description', 'createdAt', 'accessToken', 'sealedAt'].every(
      (key) => typeof v[key] === 'string',
    ) &&
    (v.team === null || typeof v.team === 'string') &&
    Array.isArray(v.permissions) &&
    (v.expiresAt === undefined || typeof v.expiresAt === 'string')
  );
}
