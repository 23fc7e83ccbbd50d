import { setTimeout as sleep } from 'node:timers/promises';
import { OutcomeUnknownError } from '../api/index.js';
import type { CreateTokenRequest, CreatedDatabaseToken } from '../model/index.js';
import { SecretsError, describeError } from '../errors.js';
import { INTENT_SPAN_MS } from '../plan/index.js';
import type { DesiredSnapshot, PlannedChange } from '../plan/index.js';
import type { SecretRecord } from '../secrets/index.js';
import type { ChangeContext } from './change-context.js';
import { PartialChangeError } from './partial-change-error.js';
import type { CreateRetryOptions } from './types.js';
import { backoffDelay } from '../api/index.js';

/**
 * A create whose outcome is unknown is tried again, with backoff, up to this many times in
 * all. Trying again is safe: the final sweep keeps the token whose string was sealed and
 * revokes the ones whose strings never reached us.
 */
export const DEFAULT_CREATE_RETRY: Required<CreateRetryOptions> = {
  attempts: 8,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
};

/**
 * Creates the token and seals its string before anything else happens on its behalf.
 * The intent is written before the request queues for an API slot (so fsyncs never hold
 * slots) and under a limit of twice the concurrency, so an interrupted apply leaves at most
 * that many unresolved intents; the next plan rotates any token created within an intent's
 * span whose string was never sealed. The span is kept here: a create that waited half of it
 * for a slot writes a fresh intent first, and the request is cut off when the span ends.
 */
export async function createTokenSealed(
  change: PlannedChange,
  ctx: ChangeContext,
): Promise<{ tokenId: string; secretsFile: string }> {
  const after = change.after;
  if (after === null) throw new Error(`plan entry for ${change.name} has nothing to create`);
  const { sink, path } = ctx.sinkFor(change.team);
  const retry = { ...DEFAULT_CREATE_RETRY, ...ctx.createRetry };
  // One name for the intent and the record: the writer refuses a seal for another name.
  const { name, team } = change;

  for (let attempt = 1; ; attempt += 1) {
    let intentId: string | undefined;
    let created: CreatedDatabaseToken;
    try {
      created = await ctx.intents(async () => {
        ctx.assertMayStart();
        let intentAt = Date.now();
        intentId = await sink.beginCreate(name, team);
        return ctx.call(attempt === 1 ? 'creating' : 'reconciling', async (api) => {
          if (Date.now() - intentAt > INTENT_SPAN_MS / 2) {
            // Nothing was sent under the old intent: close it and open one the create fits in.
            await sink.abandon(intentId as string);
            intentId = undefined;
            intentAt = Date.now();
            intentId = await sink.beginCreate(name, team);
          }
          const deadline = AbortSignal.timeout(Math.max(1, intentAt + INTENT_SPAN_MS - Date.now()));
          return api.createToken(createRequest(after, ctx.now()), { signal: deadline });
        });
      });
    } catch (error) {
      if (error instanceof OutcomeUnknownError && attempt < retry.attempts) {
        // The token may exist without its string reaching us. Create it again now: the
        // sweep at the end of the apply keeps the one whose string is sealed, and the
        // unresolved intent lets a later plan find it if this process dies first.
        ctx.duplicates.noteAmbiguous(name, team);
        // Said now, not when the next attempt gets a slot: the view labels it at once.
        ctx.emit({ type: 'step', name, team, step: 'reconciling' });
        // A 5xx or a dropped connection means the API is struggling: back off (full jitter).
        await sleep(backoffDelay(attempt, retry));
        continue;
      }
      if (error instanceof OutcomeUnknownError) ctx.duplicates.noteAmbiguous(name, team);
      else if (intentId !== undefined) await sink.abandon(intentId);
      throw error;
    }

    try {
      await sink.seal(requiredIntent(intentId), toRecord(change, created, ctx.now()));
    } catch (error) {
      throw await revokeUnsealed(created.id, error, ctx, name, team);
    }
    ctx.duplicates.noteCreated(name, team, created.id);
    if (ctx.waitActive !== undefined) {
      ctx.emit({ type: 'step', name, team, step: 'activating' });
      try {
        await ctx.waitActive(created);
      } catch (error) {
        throw new PartialChangeError(
          created.id,
          path,
          `${describeError(error)}; the new token ${created.id} was sealed in ${path}`,
        );
      }
    }
    return { tokenId: created.id, secretsFile: path };
  }
}

/**
 * The string now lives only in this process: a token nobody can use must not stay live.
 * Says what really happened to it; if the revoke fails, the final sweep tries once more.
 */
async function revokeUnsealed(
  tokenId: string,
  sealError: unknown,
  ctx: ChangeContext,
  name: string,
  team: string | null,
): Promise<SecretsError> {
  const why = describeError(sealError);
  try {
    await ctx.call('revoking', (api) => api.revokeToken(tokenId));
    return new SecretsError(
      `could not seal the new token ${tokenId} (${why}); it was revoked, so no token is left without its string`,
    );
  } catch (revokeError) {
    ctx.duplicates.noteAmbiguous(name, team);
    return new SecretsError(
      `could not seal the new token ${tokenId} (${why}), and revoking it failed too (${describeError(revokeError)}); it is still live, and the final sweep or the next plan revokes it`,
    );
  }
}

function createRequest(after: DesiredSnapshot, now: Date): CreateTokenRequest {
  const request: CreateTokenRequest = {
    description: after.description,
    permissions: after.permissions,
  };
  if (after.expiresAt !== undefined) request.expiresAt = after.expiresAt;
  else if (after.expiresIn !== undefined) {
    request.expiresAt = toSeconds(new Date(now.getTime() + after.expiresIn.ms));
  }
  return request;
}

function toSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function requiredIntent(intentId: string | undefined): string {
  if (intentId === undefined) throw new Error('create resolved without an intent');
  return intentId;
}

// `sealedAt` comes from the executor's clock, like every other time it writes.
function toRecord(
  change: PlannedChange,
  created: CreatedDatabaseToken,
  sealedAt: Date,
): SecretRecord {
  const record: SecretRecord = {
    name: change.name,
    team: change.team,
    tokenId: created.id,
    description: created.description,
    permissions: created.permissions,
    createdAt: created.createdAt,
    accessToken: created.accessToken,
    sealedAt: sealedAt.toISOString(),
  };
  if (created.expiresAt !== undefined) record.expiresAt = created.expiresAt;
  return record;
}
