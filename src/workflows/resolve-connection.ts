import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertManagementToken } from '../api/index.js';
import { UsageError } from '../errors.js';
import { READ_LIMITS, readRegularFileSync } from '../files/index.js';
import type { Connection, WorkflowContext } from './context.js';
import { clusterVariableSuffix, didYouMean, managementTokenVariable } from '../model/index.js';
import { resolveTarget, type ManifestCluster, type TargetSources } from './resolve-target.js';

export type { Connection } from './context.js';

/** Connection flags shared by every command that talks to the cluster. */
export interface ConnectionFlags {
  /** `dedicated` (default) or `clustered`; checked here, as INFLUX_PRODUCT is. */
  product?: string;
  managementUrl?: string;
  accountId?: string;
  clusterId?: string;
  /**
   * `--management-token-file FILE`; for a manifest with `clusters:`, `NAME=FILE` once per
   * cluster (repeatable).
   */
  managementTokenFile?: string | readonly string[];
  /**
   * For a manifest with `clusters:`: the one cluster a one-cluster command (import, verify,
   * tokens list) works on (`--cluster NAME`); refused for a manifest without.
   */
  cluster?: string | undefined;
}

/**
 * Flags win over environment, environment over the manifest: first the product, then the
 * URL and ids that product takes (`resolve-target.ts`). The management token only ever
 * comes from `INFLUX_MANAGEMENT_TOKEN` or `--management-token-file`, trimmed, and must be
 * visible ASCII: anything else is one clean error that never shows it. Nothing here sends
 * a request, so a refused target is refused before any.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  context: Pick<WorkflowContext, 'cwd' | 'env' | 'report'>,
  manifestCluster: ManifestCluster = {},
  manifestFile = 'the manifest',
): Connection {
  const target = resolveTarget({
    flags: targetFlags(flags),
    env: trimmedEnv(context),
    manifest: manifestCluster,
    manifestFile,
  });
  const files = tokenFiles(flags);
  if (files.length > 1) {
    throw new UsageError('--management-token-file was given more than once', {
      hint: 'one cluster, one management token: pass the flag once (NAME=FILE is for a manifest with clusters:)',
    });
  }
  const file = files[0];
  return {
    ...target,
    managementToken:
      file === undefined
        ? readEnvToken(context)
        : readTokenFile(file, '--management-token-file', context),
  };
}

/** The flags and variables that name one target: a manifest with several clusters refuses them. */
const ONE_TARGET = [
  ['product', '--product', 'INFLUX_PRODUCT', 'product'],
  ['managementUrl', '--management-url', 'INFLUX_MANAGEMENT_URL', 'url'],
  ['accountId', '--account-id', 'INFLUX_ACCOUNT_ID', 'accountId'],
  ['clusterId', '--cluster-id', 'INFLUX_CLUSTER_ID', 'clusterId'],
] as const;

/**
 * The connection to one cluster of a manifest with `clusters:`. Its target comes from its
 * entry, with `INFLUX_MANAGEMENT_URL_NAME` (and `_PRODUCT_`, `_ACCOUNT_ID_`, `_CLUSTER_ID_`)
 * winning; the one-target flags and variables are refused rather than applied to every
 * cluster. Its management token comes from `--management-token-file NAME=FILE` or
 * `INFLUX_MANAGEMENT_TOKEN_NAME`, never from the unnamed variable: a production token is
 * not sent to staging because a name was left out.
 */
export function resolveClusterConnection(
  flags: ConnectionFlags,
  context: Pick<WorkflowContext, 'cwd' | 'env' | 'report'>,
  name: string,
  manifestCluster: ManifestCluster,
  manifestFile: string,
  clusterNames: readonly string[],
): Connection {
  const suffix = `_${clusterVariableSuffix(name)}`;
  const env = trimmedEnv(context);
  for (const [key, flag, variable, field] of ONE_TARGET) {
    const where = flags[key] !== undefined ? flag : env(variable) !== undefined ? variable : null;
    if (where === null) continue;
    throw new UsageError(`${where} names one cluster; ${manifestFile} names several (clusters:)`, {
      hint: `set clusters.NAME.${field} in the manifest, or ${variable}_NAME for one of them (${variable}${suffix} for ${name})`,
    });
  }
  const target = resolveTarget({
    flags: {},
    env,
    manifest: manifestCluster,
    manifestFile,
    manifestKey: `clusters.${name}`,
    variableSuffix: suffix,
  });
  const file = namedTokenFile(flags, name, clusterNames);
  if (file !== undefined) {
    return {
      ...target,
      managementToken: readTokenFile(file, `--management-token-file ${name}=`, context),
    };
  }
  const variable = managementTokenVariable(name);
  const raw = context.env[variable];
  const token = raw?.trim();
  if (raw === undefined || token === undefined || token === '') {
    throw new UsageError(`no management token for cluster ${name}`, {
      hint: `set ${variable} or pass --management-token-file ${name}=FILE (INFLUX_MANAGEMENT_TOKEN is not used for a manifest with clusters:)`,
    });
  }
  return {
    ...target,
    managementToken: checked(context.report, raw, token, `the management token from ${variable}`),
  };
}

/** `--management-token-file NAME=FILE` for this cluster; every value must name a cluster. */
function namedTokenFile(
  flags: ConnectionFlags,
  name: string,
  clusterNames: readonly string[],
): string | undefined {
  let found: string | undefined;
  for (const value of tokenFiles(flags)) {
    const equals = value.indexOf('=');
    const cluster = equals === -1 ? '' : value.slice(0, equals);
    if (!clusterNames.includes(cluster)) {
      const hint = didYouMean(cluster, clusterNames);
      throw new UsageError(
        equals === -1
          ? `--management-token-file ${value}: say which cluster it is for`
          : `--management-token-file: no cluster ${JSON.stringify(cluster)} in the manifest`,
        { hint: hint ?? `write NAME=FILE with NAME one of ${clusterNames.join(', ')}` },
      );
    }
    if (cluster !== name) continue;
    if (found !== undefined) {
      throw new UsageError(`--management-token-file names cluster ${name} twice`, {
        hint: 'pass one file per cluster',
      });
    }
    found = value.slice(equals + 1);
  }
  return found;
}

function tokenFiles(flags: ConnectionFlags): readonly string[] {
  const files = flags.managementTokenFile;
  return files === undefined ? [] : typeof files === 'string' ? [files] : files;
}

function targetFlags(flags: ConnectionFlags): TargetSources['flags'] {
  const picked: TargetSources['flags'] = {};
  for (const [key] of ONE_TARGET) {
    const value = flags[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

// An empty variable counts as unset, as in most CLIs (`FOO= provision plan`).
function trimmedEnv(context: Pick<WorkflowContext, 'env'>): (name: string) => string | undefined {
  return (name) => {
    const value = context.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
}

function readTokenFile(
  file: string,
  flag: string,
  context: Pick<WorkflowContext, 'cwd' | 'report'>,
): string {
  const { report } = context;
  // `--management-token-file: FILE is empty`; checked as `--management-token-file FILE`.
  const label = `${flag}${flag.endsWith('=') ? '' : ': '}${file}`;
  const source = `${flag}${flag.endsWith('=') ? '' : ' '}${file}`;
  const path = resolve(context.cwd, file);
  const read = readRegularFileSync(path, READ_LIMITS.managementTokenBytes);
  if (!read.ok) {
    throw new UsageError(`${label} ${read.problem}`, {
      hint: 'pass a file that holds only the management token',
    });
  }
  const text = read.bytes.toString('utf8');
  if ((statSync(path).mode & 0o077) !== 0) {
    report.warning(`${file} is readable by other users; chmod 600 it`);
  }
  const token = text.trim();
  if (token === '') throw new UsageError(`${label} is empty`);
  return checked(report, text, token, `the management token in ${source}`);
}

function readEnvToken(context: Pick<WorkflowContext, 'env' | 'report'>): string {
  const { report } = context;
  const raw = context.env.INFLUX_MANAGEMENT_TOKEN;
  const token = raw?.trim();
  if (raw === undefined || token === undefined || token === '') {
    throw new UsageError('no management token', {
      hint: 'set INFLUX_MANAGEMENT_TOKEN or pass --management-token-file FILE',
    });
  }
  return checked(report, raw, token, 'the management token from INFLUX_MANAGEMENT_TOKEN');
}

// Reported before the check, so even a bug on the way out cannot print it (the edge redacts).
function checked(
  report: WorkflowContext['report'],
  raw: string,
  token: string,
  source: string,
): string {
  report.secret(raw);
  report.secret(token);
  assertManagementToken(token, source);
  return token;
}
