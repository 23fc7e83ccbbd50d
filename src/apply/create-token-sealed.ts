import { setTimeout as sleep } from 'node:timers/promises';
import { OutcomeUnknownError } from '../api/errors.js';
import type { CreateTokenRequest, CreatedDatabaseToken } from '../api/types.js';
import { SecretsError } from '../errors.js';
import type { DesiredSnapshot, PlannedChange } from '../plan/types.js';
import type { SecretRecord } from '../secrets/types.js';
import type { ChangeContext } from './execute-plan.js';

/**
 * A create whose outcome is unknown is tried again, with backoff, up to this many times in
 * all. Trying again is safe: the apply ends by keeping only the newest token of each name.
 */
const MAX_CREATE_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 200;
const BACKOFF_MAX_MS = 5_000;

/**
 * Creates the token and seals its string before anything else happens on its behalf.
 * The intent is written before the request queues for an API slot (so fsyncs never hold
 * slots) and under a limit of twice the concurrency, so an interrupted apply leaves at most
 * that many unresolved intents; the next plan rotates any token created after its intent
 * whose string was never sealed.
 */
export async function createTokenSealed(
  change: PlannedChange,
  ctx: ChangeContext,
): Promise<{ tokenId: string; secretsFile: string }> {
  const after = change.after;
  if (after === null) throw new Error(`plan entry for ${change.name} has nothing to create`);
  const { sink, path } = ctx.options.sinkFor(change.team);

  for (let attempt = 1; ; attempt += 1) {
    let intentId: string | undefined;
    let created: CreatedDatabaseToken;
    try {
      created = await ctx.intents(async () => {
        ctx.assertMayStart();
        intentId = await sink.beginCreate(change.name, change.team);
        return ctx.call(attempt === 1 ? 'creating' : 'reconciling', (api) =>
          api.createToken(createRequest(after, ctx.now())),
        );
      });
    } catch (error) {
      if (error instanceof OutcomeUnknownError && attempt < MAX_CREATE_ATTEMPTS) {
        // The token may exist without its string reaching us. Create it again now: the
        // sweep at the end of the apply keeps only the newest token of the name (this one),
        // and the unresolved intent lets a later plan find it if this process dies first.
        ctx.duplicates.noteAmbiguous(change.name);
        // A 5xx or a dropped connection means the API is struggling: back off (full jitter).
        const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
        await sleep(Math.random() * ceiling);
        continue;
      }
      if (intentId !== undefined && !(error instanceof OutcomeUnknownError)) {
        await sink.abandon(intentId);
      }
      throw error;
    }

    try {
      await sink.seal(requiredIntent(intentId), toRecord(change, created));
    } catch (error) {
      // The string now lives only in this process: a token nobody can use must not stay live.
      await ctx.call('revoking', (api) => api.revokeToken(created.id)).catch(() => undefined);
      const why = error instanceof Error ? error.message : String(error);
      throw new SecretsError(`could not seal the new token (${why}); it was revoked again`);
    }
    ctx.duplicates.noteCreated(change.name);
    if (ctx.options.waitActive !== undefined) {
      ctx.emit({ type: 'step', name: change.name, team: change.team, step: 'activating' });
      await ctx.options.waitActive(created);
    }
    return { tokenId: created.id, secretsFile: path };
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

function toRecord(change: PlannedChange, created: CreatedDatabaseToken): SecretRecord {
  const record: SecretRecord = {
    name: change.name,
    team: change.team,
    tokenId: created.id,
    description: created.description,
    permissions: created.permissions,
    createdAt: created.createdAt,
    accessToken: created.accessToken,
    sealedAt: new Date().toISOString(),
  };
  if (created.expiresAt !== undefined) record.expiresAt = created.expiresAt;
  return record;
}
