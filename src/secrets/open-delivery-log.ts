import { SecretsError } from '../errors.js';
import { appendLines } from './append-lines.js';
import { checkSecretsFileSafe } from './check-secrets-file-safe.js';
import { describeSystemError } from '../files/index.js';
import { closeAppending, groupCommit } from './group-commit.js';
import { openExistingFile } from './open-existing-file.js';
import { announceWriter } from './writer-presence.js';
import { noSuchFile } from './read-secrets-file.js';
import type { DeliveredLine } from './parse-secrets-file.js';

/** Appends delivery records to an existing secrets file; needs no key (they hold no secret). */
export interface DeliveryLog {
  /** Durable (fsync'd, group-committed) before it resolves. */
  record(line: Omit<DeliveredLine, 'type' | 'at'>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a secrets file to record deliveries, with the writer's checks: not a symlink
 * (`O_NOFOLLOW`), a regular file no one else could have written, in a safe folder, a provision
 * header; a torn last line is terminated first. Deliveries are only ever recorded for strings
 * already sealed there, so the file must exist.
 */
export async function openDeliveryLog(path: string, label = path): Promise<DeliveryLog> {
  checkSecretsFileSafe(path, label);
  // A reseal never renames the file from under this log (see writer-presence.ts).
  const release = await announceWriter(path, label);
  const opened = await openExistingFile(path, label).catch(async (error: unknown) => {
    await release();
    throw error;
  });
  if (opened === null) {
    await release();
    throw noSuchFile(label);
  }
  const { handle } = opened;
  try {
    if (!opened.endsWithNewline) await appendLines(handle, ['']);
  } catch (error) {
    await handle.close();
    await release();
    throw new SecretsError(`cannot write ${label}: ${describeSystemError(error)}`, {
      cause: error,
    });
  }
  const lines = groupCommit(handle, label);
  let closed = false;
  return {
    async record(entry) {
      if (closed) throw new SecretsError(`the delivery log of ${label} is closed`);
      const line: DeliveredLine = { type: 'delivered', ...entry, at: new Date().toISOString() };
      await lines.append(JSON.stringify(line));
    },
    async close() {
      if (closed) return;
      closed = true;
      await closeAppending(lines, handle, release);
    },
  };
}
