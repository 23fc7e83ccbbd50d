import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import { productTitle } from '../model/index.js';
import { NO_FAULTS } from './draw-faults.js';
import { EmulatorStore } from './emulator-store.js';
import { handleRequest, type HandlerContext } from './handle-request.js';
import { createSeededRandom } from './seeded-random.js';
import { createStateWriter, readStateFile, type EmulatorState } from './state-file.js';
import type { EmulatorOptions, FaultSettings, RunningEmulator } from './types.js';
import { isDatabaseName } from './validate-database-body.js';

export type { EmulatorOptions, FaultSettings, RunningEmulator } from './types.js';

/**
 * Starts a local InfluxDB 3 Cloud Dedicated or Clustered Management API (and the data
 * endpoints that check a database token) on `host:port`. State lives in memory, or in
 * `statePath`, which is loaded on start and rewritten atomically after every mutation.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const now = options.now ?? (() => new Date());
  const product = options.product ?? 'dedicated';
  if (product === 'clustered') refuseIds(options);
  const state =
    options.statePath === undefined ? undefined : await readStateFile(options.statePath);
  if (state !== undefined && (state.product ?? 'dedicated') !== product) {
    throw new UsageError(
      `--state: ${options.statePath} holds a ${productTitle(state.product ?? 'dedicated')} cluster, not a ${productTitle(product)} one`,
      {
        hint: `start it with --product ${state.product ?? 'dedicated'}, or use another --state file`,
      },
    );
  }
  const accountId = pickId('account', options.accountId, state?.accountId);
  const clusterId = pickId('cluster', options.clusterId, state?.clusterId);
  const store = new EmulatorStore(accountId, clusterId, now, options.timePrecision ?? 'ms');
  for (const database of state?.databases ?? []) store.databases.set(database.name, database);
  for (const token of state?.tokens ?? []) store.insertToken(token);
  for (const name of options.databases ?? []) {
    if (!isDatabaseName(name)) {
      throw new UsageError(`database name "${String(name)}" must be 1-64 characters`);
    }
    if (!store.databases.has(name))
      store.createDatabase({ name, maxTables: 500, maxColumnsPerTable: 200, retentionPeriod: 0 });
  }

  const snapshot = (): EmulatorState => ({
    version: 1,
    product,
    accountId,
    clusterId,
    databases: [...store.databases.values()],
    tokens: [...store.tokens.values()],
  });
  const writer =
    options.statePath === undefined ? undefined : createStateWriter(options.statePath, snapshot);
  // Seeded databases and a first file: a fresh --state file exists as soon as the emulator runs.
  await writer?.persist();

  const faults: FaultSettings = { ...NO_FAULTS };
  const setFaults = (changes: Partial<FaultSettings>): void => {
    for (const key of Object.keys(NO_FAULTS) as (keyof FaultSettings)[]) {
      const value = changes[key];
      if (value !== undefined) faults[key] = value;
    }
  };
  setFaults(options);
  const managementToken =
    options.managementToken ?? `emulator_${randomBytes(24).toString('base64url')}`;
  const context: HandlerContext = {
    store,
    product,
    managementToken,
    faults,
    random: createSeededRandom(options.seed ?? randomInt(2 ** 31)),
    persist: writer?.persist,
    onExchange: options.onExchange,
    inflight: 0,
  };

  const server = createServer({ keepAliveTimeout: 5_000 }, (request, response) => {
    handleRequest(context, request, response).catch(() => {
      // A bug in the emulator must not take the process down mid-test; answer 500.
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (
        error.code === 'EADDRINUSE' ||
        error.code === 'EACCES' ||
        error.code === 'EADDRNOTAVAIL'
      ) {
        reject(
          new UsageError(`cannot listen on ${host}:${options.port ?? 0} (${error.code})`, {
            hint: 'pick another --port, or --port 0 for a free one',
          }),
        );
      } else reject(error);
    });
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const clusterUrl = `http://${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${clusterUrl}/api/v0`,
    clusterUrl,
    port,
    product,
    accountId,
    clusterId,
    managementToken,
    store: {
      tokens: () => store.listTokens(),
      databases: () => [...store.databases.values()],
      idForAccessToken: (accessToken) => store.findByAccessToken(accessToken)?.id,
      counters: store.counters,
    },
    setFaults,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }).then(() => writer?.persist());
      return closing;
    },
  };
}

/** Clustered paths and bodies have no account or cluster id: one given would mean nothing. */
function refuseIds(options: EmulatorOptions): void {
  for (const kind of ['account', 'cluster'] as const) {
    if (options[`${kind}Id`] !== undefined) {
      throw new UsageError(`--${kind}-id is not accepted with --product clustered`, {
        hint: 'a Clustered Management API has no account or cluster id; drop the flag',
      });
    }
  }
}

/** Flags win; a state file's ids must then agree, or its tokens would belong to no one. */
function pickId(
  kind: 'account' | 'cluster',
  given: string | undefined,
  stored: string | undefined,
): string {
  if (
    given !== undefined &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(given)
  ) {
    throw new UsageError(`--${kind}-id "${given}" is not a UUID`);
  }
  if (given !== undefined && stored !== undefined && given.toLowerCase() !== stored) {
    throw new UsageError(`--${kind}-id ${given} differs from the state file's ${kind} ${stored}`, {
      hint: `drop --${kind}-id, or use another --state file`,
    });
  }
  return (given ?? stored ?? randomUUID()).toLowerCase();
}

/** 0.0.0.0 and :: listen everywhere but are not addresses to connect to. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
