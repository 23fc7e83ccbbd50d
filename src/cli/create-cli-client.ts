import { createManagementClient, MAX_TIMEOUT_MS } from '../api/index.js';
import { DEFAULT_TIMEOUT_MS } from '../api/index.js';
import type { ClientEvent } from '../api/index.js';
import { UsageError } from '../errors.js';
import { parseDuration } from '../manifest/index.js';
import type { ClientFactory } from '../workflows/index.js';
import type { CliIo } from './io.js';

/** Flags every command that talks to the Management API shares besides the connection. */
export interface ClientFlags {
  /** Print every request's method, path, status and timing on stderr (headers redacted). */
  debug?: boolean;
  /** `--timeout`: deadline of each request, body included, as a duration (default `60s`). */
  timeout?: string;
}

/**
 * How the CLI makes Management API clients for the workflows: `--timeout` per request, and
 * with `--debug` one stderr line per answer and per retry. Events carry no header or body,
 * and the Authorization header is only ever shown as `[redacted]`.
 */
export function cliClientFactory(flags: ClientFlags, io: CliIo): ClientFactory {
  const debug = flags.debug === true;
  const timeoutMs =
    flags.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeoutFlag(flags.timeout);
  let announced = false;
  return (connection, onEvent) => {
    if (debug && !announced) {
      announced = true;
      io.stderr.write(
        `debug: Management API ${connection.url}, ${connection.product === 'clustered' ? 'Clustered' : `account ${connection.accountId}, cluster ${connection.clusterId}`}; ` +
          `Authorization: Bearer [redacted]\n`,
      );
    }
    return createManagementClient({
      ...connection,
      timeoutMs,
      onEvent: (event) => {
        if (debug) io.stderr.write(`debug: ${describeEvent(event)}\n`);
        onEvent?.(event);
      },
    });
  };
}

function describeEvent(event: ClientEvent): string {
  if (event.type === 'response') {
    return `${event.operation} → ${event.status} in ${Math.round(event.durationMs)} ms (attempt ${event.attempt})`;
  }
  const cause = event.status === undefined ? event.reason : `${event.status} ${event.reason}`;
  return `${event.operation}: ${cause}; retrying in ${Math.round(event.delayMs)} ms (attempt ${event.attempt} failed)`;
}

function parseTimeoutFlag(text: string): number {
  const duration = parseDuration(text);
  if (duration === null) {
    throw new UsageError(`--timeout: "${text}" is not a duration`, {
      hint: 'write it like 30s, 2m or 1h',
    });
  }
  if (duration.ms > MAX_TIMEOUT_MS) {
    throw new UsageError(
      `--timeout: ${text} is longer than the ${MAX_TIMEOUT_MS / 60_000}m maximum`,
      {
        hint: 'a request pending that long is stuck; use 60m or less',
      },
    );
  }
  return duration.ms;
}
