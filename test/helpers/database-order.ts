import type { EmulatorStoreView, Exchange } from '../../src/emulator/types.js';

/**
 * Watches an emulator's exchanges for token creates that name a database the cluster does
 * not hold yet. The emulator accepts those (`*` and future databases are legitimate), so
 * only this watch can tell that an apply sent a token before its database. A create is
 * routed and answered in one turn of the event loop, so the store seen here is the store
 * the create met.
 */
export function tokensBeforeTheirDatabases(): {
  watch: (exchange: Exchange) => void;
  store: EmulatorStoreView | undefined;
  found: string[];
} {
  const state = {
    store: undefined as EmulatorStoreView | undefined,
    found: [] as string[],
    watch: (exchange: Exchange): void => {
      if (exchange.operation !== 'POST /tokens' || state.store === undefined) return;
      const body = exchange.requestBody as { permissions?: { resource: string }[] } | undefined;
      const present = new Set(state.store.databases().map((database) => database.name));
      for (const { resource } of body?.permissions ?? []) {
        if (resource !== '*' && !present.has(resource)) state.found.push(resource);
      }
    },
  };
  return state;
}
