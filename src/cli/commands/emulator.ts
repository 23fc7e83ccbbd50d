import { resolve } from 'node:path';
import { startEmulator } from '../../emulator/index.js';
import type { EmulatorOptions } from '../../emulator/index.js';
import { UsageError } from '../../errors.js';
import { isProduct, type Product } from '../../model/index.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo } from '../io.js';
import { READ_LIMITS, readRegularFile } from '../../files/index.js';

/** Flags of `provision emulator`, as commander hands them over (strings). */
export interface EmulatorFlags {
  port?: string;
  host?: string;
  json?: boolean;
  state?: string;
  database?: string[];
  databasesFile?: string;
  product?: string;
  accountId?: string;
  clusterId?: string;
  latency?: string;
  jitter?: string;
  maxInflight?: string;
  errorRate?: string;
  rateLimitRate?: string;
  listLag?: string;
  ambiguousRate?: string;
  activationDelay?: string;
  seed?: string;
  timePrecision?: 's' | 'ms';
}

/**
 * Runs the emulator until SIGINT or SIGTERM, then closes it (flushing `--state`) and
 * returns 0. The management token is printed only in the `--json` line, for scripts.
 */
export async function emulatorCommand(flags: EmulatorFlags, io: CliIo): Promise<number> {
  const options = await parseFlags(flags, io);
  // Listen before printing: a script may signal as soon as it reads the start line.
  const signal = waitForSignal();
  let emulator;
  try {
    emulator = await startEmulator(options);
  } catch (error) {
    signal.dispose();
    throw error;
  }
  if (flags.json === true) {
    const { url, clusterUrl, accountId, clusterId, managementToken } = emulator;
    // Clustered serves no ids, so a script reading the line finds none to pass on.
    const ids =
      emulator.product === 'clustered' ? { product: 'clustered' } : { accountId, clusterId };
    writeLine(io.stdout, JSON.stringify({ url, clusterUrl, ...ids, managementToken }));
  } else {
    const { url, accountId, clusterId } = emulator;
    const clustered = emulator.product === 'clustered';
    writeLine(
      io.stdout,
      clustered
        ? `provision emulator listening on ${url} (InfluxDB 3 Clustered)`
        : `provision emulator listening on ${url} (account ${accountId}, cluster ${clusterId})`,
    );
    // The token itself stays off the terminal: the line names the variable that holds it,
    // so it can be pasted as is. A random token has no such variable; line 4 says what to do.
    const chosen = options.managementToken !== undefined;
    writeLine(
      io.stdout,
      (clustered
        ? `export INFLUX_PRODUCT=clustered INFLUX_MANAGEMENT_URL=${url}`
        : `export INFLUX_MANAGEMENT_URL=${url} INFLUX_ACCOUNT_ID=${accountId} INFLUX_CLUSTER_ID=${clusterId}`) +
        (chosen ? ' INFLUX_MANAGEMENT_TOKEN="$PROVISION_EMULATOR_TOKEN"' : ''),
    );
    writeLine(io.stdout, `cluster URL (data plane): ${emulator.clusterUrl}`);
    writeLine(
      io.stdout,
      chosen
        ? 'management token: the value of PROVISION_EMULATOR_TOKEN'
        : 'management token: random, printed only with --json; set PROVISION_EMULATOR_TOKEN to choose one and the export line above sets it too',
    );
  }
  await signal.stopped;
  await emulator.close();
  return ExitCode.Ok;
}

/** Resolves on the first SIGINT or SIGTERM; `dispose` removes the listeners. */
function waitForSignal(): { stopped: Promise<void>; dispose: () => void } {
  let dispose = (): void => undefined;
  const stopped = new Promise<void>((resolvePromise) => {
    const stop = (): void => {
      dispose();
      resolvePromise();
    };
    dispose = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return { stopped, dispose };
}

async function parseFlags(flags: EmulatorFlags, io: CliIo): Promise<EmulatorOptions> {
  // An empty variable counts as unset, as shells make that easy to write by accident.
  const token =
    io.env.PROVISION_EMULATOR_TOKEN === '' ? undefined : io.env.PROVISION_EMULATOR_TOKEN;
  if (token !== undefined && /\s/.test(token.trim())) {
    throw new UsageError('PROVISION_EMULATOR_TOKEN must be one word without spaces');
  }
  const databases = [...(flags.database ?? [])];
  if (flags.databasesFile !== undefined)
    databases.push(...(await readDatabasesFile(flags.databasesFile, io)));
  const options: EmulatorOptions = {
    port: integer('--port', flags.port ?? '8086', 0, 65_535),
    host: flags.host ?? '127.0.0.1',
    databases,
    latencyMs: milliseconds('--latency', flags.latency),
    jitterMs: milliseconds('--jitter', flags.jitter),
    errorRate: probability('--error-rate', flags.errorRate),
    rateLimitRate: probability('--rate-limit-rate', flags.rateLimitRate),
    listLagMs: milliseconds('--list-lag', flags.listLag),
    ambiguousRate: probability('--ambiguous-rate', flags.ambiguousRate),
    activationDelayMs: milliseconds('--activation-delay', flags.activationDelay),
    timePrecision: flags.timePrecision === 's' ? 's' : 'ms',
  };
  if (token !== undefined) options.managementToken = token.trim();
  if (flags.state !== undefined) options.statePath = resolve(io.cwd, flags.state);
  if (flags.product !== undefined) options.product = product(flags.product);
  if (flags.accountId !== undefined) options.accountId = flags.accountId;
  if (flags.clusterId !== undefined) options.clusterId = flags.clusterId;
  if (flags.maxInflight !== undefined)
    options.maxInflight = integer('--max-inflight', flags.maxInflight, 1, 1_000_000);
  if (flags.seed !== undefined) options.seed = integer('--seed', flags.seed, 0, 2 ** 32 - 1);
  return options;
}

async function readDatabasesFile(file: string, io: CliIo): Promise<string[]> {
  const read = await readRegularFile(resolve(io.cwd, file), READ_LIMITS.manifestBytes);
  if (!read.ok) throw new UsageError(`--databases-file: ${file}: ${read.problem}`);
  const text = read.bytes.toString('utf8');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function product(value: string): Product {
  const lower = value.trim().toLowerCase();
  if (!isProduct(lower)) {
    throw new UsageError(`--product must be dedicated or clustered (got "${value}")`);
  }
  return lower;
}

function integer(flag: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got "${value}")`);
  }
  return number;
}

function milliseconds(flag: string, value: string | undefined): number {
  const number = Number(value ?? '0');
  if (value?.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new UsageError(`${flag} must be a number of milliseconds, 0 or more (got "${value}")`);
  }
  return number;
}

function probability(flag: string, value: string | undefined): number {
  const number = Number(value ?? '0');
  if (value?.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new UsageError(`${flag} must be a probability from 0 to 1 (got "${value}")`);
  }
  return number;
}
