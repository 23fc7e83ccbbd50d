import { onTestFinished } from 'vitest';
import { createManagementClient } from '../../src/api/create-management-client.js';
import type { ClientSettings, ManagementApi } from '../../src/api/types.js';
import { startEmulator } from '../../src/emulator/start-emulator.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/types.js';

/**
 * Starts an emulator on a free port and closes it when the current test finishes.
 * Call it inside a test (`onTestFinished` needs one).
 */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, ...options });
  onTestFinished(() => emulator.close());
  return emulator;
}

/** A client for that emulator's product, with fast retries unless overridden. */
export function clientFor(
  emulator: RunningEmulator,
  overrides: Partial<ClientSettings> = {},
): ManagementApi {
  const settings: ClientSettings = {
    url: emulator.url,
    managementToken: emulator.managementToken,
    retry: { limit: 5, baseDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  };
  return emulator.product === 'clustered'
    ? createManagementClient({ ...settings, product: 'clustered' })
    : createManagementClient({
        ...settings,
        accountId: emulator.accountId,
        clusterId: emulator.clusterId,
      });
}
