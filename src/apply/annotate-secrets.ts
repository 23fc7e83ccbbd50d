import { parseMarker } from '../plan/index.js';
import type { PlannedChange } from '../plan/index.js';
import type { ChangeContext } from './change-context.js';
import { describeError } from '../errors.js';

/**
 * Tells the secrets file that a token it may hold was revoked, so `secrets list` and
 * `export` stop offering its string as current. The token is already gone: a file that
 * cannot take the line makes the change fail with both facts, never hides the revoke.
 */
export async function noteRevoked(
  change: PlannedChange,
  tokenId: string,
  ctx: ChangeContext,
): Promise<void> {
  const { sink, path } = ctx.sinkFor(change.team);
  try {
    await sink.recordRevoked(tokenId, change.name);
  } catch (error) {
    throw new Error(
      `token ${tokenId} was revoked, but ${path} could not record it: ${describeError(error)}`,
      { cause: error },
    );
  }
}

/** After a rename (`previousNames`), the file shows the sealed string under its new name. */
export async function noteRenamed(
  change: PlannedChange,
  tokenId: string,
  ctx: ChangeContext,
): Promise<void> {
  const from = change.before === null ? undefined : parseMarker(change.before.description)?.name;
  if (from === undefined || from === change.name) return;
  const { sink, path } = ctx.sinkFor(change.team);
  try {
    await sink.recordRenamed(tokenId, from, change.name);
  } catch (error) {
    throw new Error(
      `token ${tokenId} was renamed from ${from}, but ${path} could not record it: ${describeError(error)}`,
      { cause: error },
    );
  }
}
