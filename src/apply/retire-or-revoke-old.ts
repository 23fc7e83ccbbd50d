import { isNotFound } from '../api/index.js';
import { parseMarker, withRetireMarker } from '../plan/index.js';
import type { PlannedChange } from '../plan/index.js';
import { noteRevoked } from './annotate-secrets.js';
import type { ChangeContext } from './change-context.js';

/**
 * The second half of a replace, run only once the new token's string is sealed: keep the
 * old token for its overlap window (marked as retiring, so a later plan revokes it), or
 * revoke it now. An old token that is already gone is fine.
 */
export async function retireOrRevokeOld(change: PlannedChange, ctx: ChangeContext): Promise<void> {
  const before = change.before;
  if (before === null) return;
  const expired =
    before.expiresAt !== undefined && Date.parse(before.expiresAt) <= ctx.now().getTime();
  try {
    if (change.retireAt !== undefined && !expired) {
      const human = parseMarker(before.description)?.human ?? before.description;
      await ctx.call('retiring-old', (api) =>
        api.updateToken(before.id, {
          description: withRetireMarker(human, change.name, change.retireAt ?? ''),
        }),
      );
    } else {
      await ctx.call('revoking-old', (api) => api.revokeToken(before.id));
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (change.retireAt === undefined || expired) await noteRevoked(change, before.id, ctx);
}
