import type { DatabaseToken } from '../model/index.js';
import type { DesiredToken } from '../manifest/index.js';
import type { ManagedToken } from './classify-tokens.js';
import { toSecondsIso, withMarker } from './marker.js';
import { samePermissions } from './permission-key.js';
import { findReplaceReason, type ReplaceContext } from './replace-reason.js';
import type { DesiredSnapshot, PlannedChange, PlanProblem, TokenSnapshot } from './types.js';

/** One declared token against the live token that carries its name: a change, or a problem. */
export type TokenDiff = { change: PlannedChange } | { problem: PlanProblem };

/** Compares a desired token with the current token it matched (by name or a previous name). */
export function diffToken(
  desired: DesiredToken,
  current: ManagedToken,
  context: ReplaceContext,
): TokenDiff {
  const after = desiredSnapshot(desired);
  const before = tokenSnapshot(current.token);
  const renamed = current.name !== desired.name;
  const permissionsChanged = !samePermissions(current.token.permissions, desired.permissions);
  const edits: string[] = [];
  if (renamed) edits.push(`renamed from ${current.name}`);
  if (current.human !== desired.description) edits.push('description changed');
  if (permissionsChanged) edits.push('permissions changed');
  const base = { name: desired.name, team: desired.team, before, after, source: desired.source };

  const replace = findReplaceReason(desired, current.token, context);
  if (replace !== null) {
    if (desired.protect) {
      return {
        problem: {
          message: `token "${desired.name}" is protected (protect: true) but the plan would replace it: ${replace.reason}`,
          hint: 'remove protect: true to allow it, or undo the change that causes it',
          source: desired.source,
        },
      };
    }
    const change: PlannedChange = {
      ...base,
      action: 'replace',
      actions: ['create', 'delete'],
      reasonCode: replace.code,
      reason: edits.length === 0 ? replace.reason : `${replace.reason}; also ${edits.join(', ')}`,
    };
    // An expired or lost token serves no client, so it is revoked at once, not kept.
    if (desired.overlap !== null && replace.code !== 'expired' && replace.code !== 'secret-lost') {
      change.retireAt = toSecondsIso(new Date(context.now.getTime() + desired.overlap.ms));
    }
    return { change };
  }

  if (edits.length > 0) {
    const patch: PlannedChange['patch'] = {};
    if (current.token.description !== after.description) patch.description = after.description;
    if (permissionsChanged) patch.permissions = after.permissions;
    return {
      change: {
        ...base,
        action: 'update',
        actions: ['update'],
        reasonCode: renamed
          ? 'renamed'
          : permissionsChanged
            ? 'permissions-changed'
            : 'description-changed',
        reason: edits.join('; '),
        patch,
      },
    };
  }
  return {
    change: {
      ...base,
      action: 'no-op',
      actions: ['no-op'],
      reasonCode: 'unchanged',
      reason: 'matches the manifest',
    },
  };
}

/** The token as the manifest wants it, with the full description the API will hold. */
export function desiredSnapshot(desired: DesiredToken): DesiredSnapshot {
  const snapshot: DesiredSnapshot = {
    description: withMarker(desired.description, desired.name),
    permissions: desired.permissions.map((permission) => ({ ...permission })),
  };
  if (desired.expiry?.kind === 'at') snapshot.expiresAt = canonicalInstant(desired.expiry.at);
  if (desired.expiry?.kind === 'in') {
    snapshot.expiresIn = { text: desired.expiry.duration.text, ms: desired.expiry.duration.ms };
  }
  return snapshot;
}

/** The live token as a plan records it (never its string: a listed token has none). */
export function tokenSnapshot(token: DatabaseToken): TokenSnapshot {
  const snapshot: TokenSnapshot = {
    id: token.id,
    description: token.description,
    permissions: token.permissions.map((permission) => ({ ...permission })),
    createdAt: token.createdAt,
  };
  if (token.expiresAt !== undefined) snapshot.expiresAt = token.expiresAt;
  return snapshot;
}

// UTC `Z` form for the API; whole seconds unless the manifest asked for milliseconds.
function canonicalInstant(text: string): string {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  return date.getUTCMilliseconds() === 0 ? toSecondsIso(date) : date.toISOString();
}
