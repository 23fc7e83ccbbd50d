import {
  createManagementClient,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
} from '../api/create-management-client.js';
import type { ClientEvent, ManagementApi } from '../api/types.js';
import { UsageError } from '../errors.js';
import { parseDuration } from '../manifest/parse-duration.js';
import type { Connection } from './connection.js';
import type { CliIo } from './io.js';

/** Flags every command that talks to the Management API shares besides the connection. */
export interface ClientFlags {
  /** Print every request's method, path, status and timing on stderr (headers redacted). */
  debug?: boolean;
  /** `--timeout`: deadline of each request, body included, as a duration (default `60s`). */
  timeout?: string;
}

/**
 * The Management API client as the CLI uses it: with `--debug`, one stderr line per answer
 * and per retry. Events carry no header or body, and the Authorization header is only ever
 * shown as `[redacted]`.
 */
export function createCliClient(
  connection: Connection,
  flags: ClientFlags,
  io: CliIo,
  onEvent?: (event: ClientEvent) => void,
): ManagementApi {
  const debug = flags.debug === true;
  const timeoutMs =
    flags.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeoutFlag(flags.timeout);
  if (debug) {
    io.stderr.write(
      `debug: Management API ${connection.url}, account ${connection.accountId}, cluster ${connection.clusterId}; ` +
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
