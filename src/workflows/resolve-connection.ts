import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertManagementToken } from '../api/index.js';
import { UsageError } from '../errors.js';
import { READ_LIMITS, readRegularFileSync } from '../files/index.js';
import type { Connection, WorkflowContext } from './context.js';
import { resolveTarget, type ManifestCluster } from './resolve-target.js';

export type { Connection } from './context.js';

/** Connection flags shared by every command that talks to the cluster. */
export interface ConnectionFlags {
  /** `dedicated` (default) or `clustered`; checked here, as INFLUX_PRODUCT is. */
  product?: string;
  managementUrl?: string;
  accountId?: string;
  clusterId?: string;
  managementTokenFile?: string;
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
  // An empty variable counts as unset, as in most CLIs (`FOO= provision plan`).
  const env = (name: string): string | undefined => {
    const value = context.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const target = resolveTarget({ flags, env, manifest: manifestCluster, manifestFile });
  return { ...target, managementToken: readManagementToken(flags, context) };
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
