// Direct Management API calls for the benchmarks (setup and checks), through the built client
// so that they ride out the emulator's injected faults with the client's own retries.
import { setTimeout as delay } from 'node:timers/promises';
import { DIST_URL } from './paths.mjs';

/** A client for a running emulator process (see emulator-process.mjs). */
export async function managementClient(emulator) {
  const { createManagementClient } = await import(`${DIST_URL}api/create-management-client.js`);
  return createManagementClient({
    url: emulator.url,
    accountId: emulator.accountId,
    clusterId: emulator.clusterId,
    managementToken: emulator.managementToken,
    retry: { limit: 10, baseDelayMs: 20, maxDelayMs: 500 },
  });
}

/**
 * Creates `count` tokens without a marker (unmanaged). A create whose outcome is unknown is
 * simply tried again: any token it did leave is unmanaged too, and the caller takes the list
 * afterwards as the "before" picture.
 */
export async function createUnmanaged(client, count, database) {
  for (let made = 0; made < count;) {
    try {
      await client.createToken({
        description: `Hand-made token ${made} (not in any manifest)`,
        permissions: [{ action: 'read', resource: database }],
      });
      made += 1;
    } catch {
      // 5xx, 429 after retries or an ambiguous create: try again
    }
  }
}

/** Lists every token once `settleMs` has passed, so a lagging list has caught up. */
export async function listSettled(client, settleMs) {
  await delay(settleMs);
  return client.listTokens();
}
