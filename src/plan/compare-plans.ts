import { differs, findEntryDifference } from './compare-entries.js';
import { permissionKey } from './permission-key.js';
import type { DesiredSnapshot, PlannedChange, TokenSnapshot } from './types.js';

/**
 * Compares a saved plan's changes with a plan computed afresh, entry for entry, and returns
 * the first difference as one phrase (`change 3 ("grafana"): the saved plan says revoke, a
 * fresh plan says no-op`), or `null` when they commit to the same work.
 *
 * What must match is everything the executor acts on: the name, team and action, the token
 * acted on (`before`: id, description, permissions as a set, expiry) and the token wanted
 * (`after`), the PATCH body, and whether the old token is kept for an overlap. The human
 * `reason` and the exact `retireAt` are left out: they move with the clock (an overlap of
 * 7d counts from the apply), and the fresh plan is the one that runs.
 */
export function findPlanDifference(
  saved: readonly PlannedChange[],
  fresh: readonly PlannedChange[],
): string | null {
  return findEntryDifference('change', saved, fresh, compareChange);
}

function compareChange(saved: PlannedChange, fresh: PlannedChange): string | null {
  const before = compareBefore(saved.before, fresh.before);
  if (before !== null) return before;
  const after = compareAfter(saved.after, fresh.after);
  if (after !== null) return after;
  if (canonical(saved.patch) !== canonical(fresh.patch)) {
    return 'the saved plan sends another update (PATCH) body than a fresh plan';
  }
  if ((saved.retireAt === undefined) !== (fresh.retireAt === undefined)) {
    return saved.retireAt === undefined
      ? 'a fresh plan keeps the old token for its overlap, the saved plan does not'
      : 'the saved plan keeps the old token for an overlap, a fresh plan does not';
  }
  return null;
}

function compareBefore(saved: TokenSnapshot | null, fresh: TokenSnapshot | null): string | null {
  if (saved === null || fresh === null) {
    return saved === fresh ? null : 'the saved plan acts on another token than a fresh plan';
  }
  if (saved.id !== fresh.id) return differs('the token acted on', saved.id, fresh.id);
  if (saved.description !== fresh.description) {
    return `token ${fresh.id}'s description is not what the saved plan recorded`;
  }
  if (permissionKey(saved.permissions) !== permissionKey(fresh.permissions)) {
    return `token ${fresh.id}'s permissions are not what the saved plan recorded`;
  }
  if ((saved.expiresAt ?? null) !== (fresh.expiresAt ?? null)) {
    return `token ${fresh.id}'s expiry is not what the saved plan recorded`;
  }
  return null;
}

function compareAfter(saved: DesiredSnapshot | null, fresh: DesiredSnapshot | null): string | null {
  if (saved === null || fresh === null) {
    return saved === fresh ? null : 'the saved plan wants another token than a fresh plan';
  }
  if (saved.description !== fresh.description) {
    return 'the saved plan writes another description than a fresh plan';
  }
  if (permissionKey(saved.permissions) !== permissionKey(fresh.permissions)) {
    return 'the saved plan grants other permissions than a fresh plan';
  }
  if ((saved.expiresAt ?? null) !== (fresh.expiresAt ?? null)) {
    return differs('the expiry', saved.expiresAt ?? 'none', fresh.expiresAt ?? 'none');
  }
  if (
    (saved.expiresIn?.text ?? null) !== (fresh.expiresIn?.text ?? null) ||
    (saved.expiresIn?.ms ?? null) !== (fresh.expiresIn?.ms ?? null)
  ) {
    return differs(
      'the lifetime',
      saved.expiresIn?.text ?? 'none',
      fresh.expiresIn?.text ?? 'none',
    );
  }
  return null;
}

// Key order never makes two bodies differ.
function canonical(value: unknown): string {
  // JSON.stringify gives undefined for undefined (its type says string).
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([x], [y]) =>
            x < y ? -1 : x > y ? 1 : 0,
          ),
        )
      : inner,
  );
}
