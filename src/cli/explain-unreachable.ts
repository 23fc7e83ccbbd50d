import { DEFAULT_MANAGEMENT_URL } from '../api/index.js';
import { ApiError } from '../api/index.js';
import { ProvisionError } from '../errors.js';

/**
 * When the Management API could not be reached at all, the hint names the setting that was
 * actually used — the flag, the variable, or the manifest and default — and its URL, instead
 * of always pointing at INFLUX_MANAGEMENT_URL. Other errors pass through unchanged.
 */
export function explainUnreachable(
  error: unknown,
  flags: { managementUrl?: unknown },
  env: NodeJS.ProcessEnv,
): unknown {
  if (!(error instanceof ApiError) || error.status !== undefined) return error;
  const fromEnv = env.INFLUX_MANAGEMENT_URL?.trim();
  let source: string;
  if (typeof flags.managementUrl === 'string') {
    source = `--management-url ${flags.managementUrl}`;
  } else if (fromEnv !== undefined && fromEnv !== '') {
    source = `INFLUX_MANAGEMENT_URL (${fromEnv})`;
  } else {
    source = `cluster.url in the manifest, or the default ${DEFAULT_MANAGEMENT_URL}`;
  }
  return new ProvisionError(error.message, {
    hint: `nothing answered at the Management API URL from ${source}; check it and the network`,
    exitCode: error.exitCode,
    cause: error,
  });
}
