import type { CommandUnknownOpts } from '@commander-js/extra-typings';
// Constants only (no imports): keeps `provision --version` from loading the HTTP client.
import { DEFAULT_TIMEOUT_MS } from '../../api/request-limits.js';
import type { PlanInputs } from '../../workflows/index.js';
import type { ConnectionFlags } from '../../workflows/index.js';
import type { ClientFlags } from '../create-cli-client.js';

/** The flags of `plan` and `apply` that shape a plan, as the plan workflow takes them. */
export type PlanFlags = Omit<PlanInputs, 'secretsFiles' | 'mainSecretsFile' | 'expiringWithin'> &
  ClientFlags & {
    /** `--cluster NAME` (repeatable): only these clusters of a `clusters:` manifest. */
    clusters?: string[];
    /** `--expiring-within` as typed; the command parses it (`parseDurationFlag`). */
    expiringWithin?: string;
  };
import { readBoolean, readDefaulted, readString, readStrings } from './read-option.js';

/** A repeatable flag's values, in the order given. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

// The groups below are added to several commands, after each one's own flags (so --help
// lists them last). commander's inferred types would grow exponentially through a helper
// generic in the command's options, so each group has a reader instead, next to its flags.

/** Where the Management API is and how to reach it, for every command that calls it. */
export function addConnectionOptions(command: CommandUnknownOpts): void {
  command
    .option(
      '--product <product>',
      'dedicated (default) or clustered (env INFLUX_PRODUCT, manifest cluster.product)',
    )
    .option('--management-url <url>', 'Management API base URL (env INFLUX_MANAGEMENT_URL)')
    .option('--account-id <uuid>', 'account id, Dedicated only (env INFLUX_ACCOUNT_ID)')
    .option('--cluster-id <uuid>', 'cluster id, Dedicated only (env INFLUX_CLUSTER_ID)')
    .option(
      '--management-token-file <file>',
      'file holding the management token (else env INFLUX_MANAGEMENT_TOKEN); NAME=FILE per cluster of clusters: (repeatable)',
      collect,
    )
    .option(
      '--timeout <duration>',
      'give up on an API request, its response body included, after this long',
      `${DEFAULT_TIMEOUT_MS / 1000}s`,
    )
    .option('--debug', 'print each API request and answer on stderr (headers redacted)');
}

/** The values of `addConnectionOptions`' flags. */
export function readConnectionOptions(
  values: Readonly<Record<string, unknown>>,
): ConnectionFlags & ClientFlags {
  const flags: ConnectionFlags & ClientFlags = {};
  const keys = ['product', 'managementUrl', 'accountId', 'clusterId'] as const;
  for (const key of keys) {
    const value = readString(values, key);
    if (value !== undefined) flags[key] = value;
  }
  const tokenFiles = readStrings(values, 'managementTokenFile');
  if (tokenFiles !== undefined) flags.managementTokenFile = tokenFiles;
  const timeout = readString(values, 'timeout');
  if (timeout !== undefined) flags.timeout = timeout;
  const debug = readBoolean(values, 'debug');
  if (debug !== undefined) flags.debug = debug;
  return flags;
}

/** The flags that shape a plan, shared by `plan` and `apply`, and the connection flags. */
export function addPlanOptions(command: CommandUnknownOpts): void {
  command
    .option('-f, --file <file>', 'manifest', 'tokens.yaml')
    .option('--prune', 'revoke managed tokens no longer in the manifest')
    .option('--replace <name>', 'rotate this token now (repeatable)', collect)
    .option(
      '--only <selector>',
      'limit to NAME or team:TEAM; CLUSTER/NAME for one cluster (repeatable)',
      collect,
    )
    .option(
      '--cluster <name>',
      "only this cluster of the manifest's clusters: (repeatable; default all)",
      collect,
    )
    .option('--expiring-within <duration>', 'replace tokens expiring within this window')
    .option('--allow-missing-databases', 'warn instead of failing on unknown databases');
  addConnectionOptions(command);
}

/** The values of `addPlanOptions`' flags. */
export function readPlanOptions(values: Readonly<Record<string, unknown>>): PlanFlags {
  const flags: PlanFlags = {
    ...readConnectionOptions(values),
    file: readDefaulted(values, 'file'),
  };
  for (const key of ['prune', 'allowMissingDatabases'] as const) {
    const value = readBoolean(values, key);
    if (value !== undefined) flags[key] = value;
  }
  for (const key of ['replace', 'only'] as const) {
    const value = readStrings(values, key);
    if (value !== undefined) flags[key] = value;
  }
  const clusters = readStrings(values, 'cluster');
  if (clusters !== undefined) flags.clusters = clusters;
  const expiringWithin = readString(values, 'expiringWithin');
  if (expiringWithin !== undefined) flags.expiringWithin = expiringWithin;
  return flags;
}
