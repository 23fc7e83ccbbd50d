import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertManagementToken } from '../api/index.js';
import { DEFAULT_MANAGEMENT_URL } from '../api/index.js';
import { isUuid } from '../api/index.js';
import { UsageError } from '../errors.js';
import { READ_LIMITS, readRegularFileSync } from '../files/index.js';
import type { Connection, WorkflowContext } from './context.js';

export type { Connection } from './context.js';

/** Connection flags shared by every command that talks to the cluster. */
export interface ConnectionFlags {
  managementUrl?: string;
  accountId?: string;
  clusterId?: string;
  managementTokenFile?: string;
}

/**
 * Flags win over environment, environment over the manifest. The management token only
 * ever comes from `INFLUX_MANAGEMENT_TOKEN` or `--management-token-file`, trimmed, and must
 * be visible ASCII: anything else is one clean error that never shows it.
 */
export function resolveConnection(
  flags: ConnectionFlags,
  context: Pick<WorkflowContext, 'cwd' | 'env' | 'report'>,
  manifestCluster: { accountId?: string; clusterId?: string; url?: string } = {},
): Connection {
  // An empty variable counts as unset, as in most CLIs (`FOO= provision plan`).
  const env = (name: string): string | undefined => {
    const value = context.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const url =
    flags.managementUrl ??
    env('INFLUX_MANAGEMENT_URL') ??
    manifestCluster.url ??
    DEFAULT_MANAGEMENT_URL;
  const accountId = requireId(
    'account',
    flags.accountId ?? env('INFLUX_ACCOUNT_ID') ?? manifestCluster.accountId,
    'set cluster.accountId in the manifest, INFLUX_ACCOUNT_ID, or --account-id',
  );
  const clusterId = requireId(
    'cluster',
    flags.clusterId ?? env('INFLUX_CLUSTER_ID') ?? manifestCluster.clusterId,
    'set cluster.clusterId in the manifest, INFLUX_CLUSTER_ID, or --cluster-id',
  );
  return { url, accountId, clusterId, managementToken: readManagementToken(flags, context) };
}

function requireId(what: 'account' | 'cluster', id: string | undefined, whereHint: string): string {
  if (id === undefined || id === '') throw new UsageError(`no ${what} id`, { hint: whereHint });
  if (!isUuid(id)) {
    throw new UsageError(`${what} id "${id}" is not a UUID`, {
      hint: 'copy it from `influxctl cluster list --format json`',
    });
  }
  return id;
}

function readManagementToken(
  flags: ConnectionFlags,
  context: Pick<WorkflowContext, 'cwd' | 'env' | 'report'>,
): string {
  const { report } = context;
  if (flags.managementTokenFile !== undefined) {
    const path = resolve(context.cwd, flags.managementTokenFile);
    const read = readRegularFileSync(path, READ_LIMITS.managementTokenBytes);
    if (!read.ok) {
      throw new UsageError(
        `--management-token-file: ${flags.managementTokenFile} ${read.problem}`,
        {
          hint: 'pass a file that holds only the management token',
        },
      );
    }
    const text = read.bytes.toString('utf8');
    if ((statSync(path).mode & 0o077) !== 0) {
      report.warning(`${flags.managementTokenFile} is readable by other users; chmod 600 it`);
    }
    const token = text.trim();
    if (token === '') {
      throw new UsageError(`--management-token-file: ${flags.managementTokenFile} is empty`);
    }
    return checked(
      report,
      text,
      token,
      `the management token in --management-token-file ${flags.managementTokenFile}`,
    );
  }
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
