import type { FileHandle } from 'node:fs/promises';
import { SecretsError } from '../errors.js';
import { appendLines } from './append-lines.js';
import { describeSystemError } from '../files/index.js';

/** Appends lines to one file; each promise resolves once its line is on disk (fsync'd). */
export interface GroupCommit {
  append(line: string): Promise<void>;
  /** Resolves when every line given so far is written (or failed). */
  drain(): Promise<void>;
}

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: one write + fsync at a time; lines that arrive meanwhile go out together
 * in the next write, so 16 concurrent creates cost one fsync per round, not 32. No call
 * resolves before the fsync that covers its line. After a failed write or fsync the file's
 * state is unknown, so every later line fails too rather than pretend.
 */
export function groupCommit(handle: FileHandle, label: string): GroupCommit {
  const queue: Pending[] = [];
  let failure: SecretsError | null = null;
  let flushing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        if (failure !== null) throw failure;
        await appendLines(
          handle,
          batch.map((p) => p.line),
        );
        for (const p of batch) p.resolve();
      } catch (error) {
        failure ??= new SecretsError(`cannot write ${label}: ${describeSystemError(error)}`, {
          cause: error,
        });
        for (const p of batch) p.reject(failure);
      }
    }
  }

  return {
    append(line) {
      if (failure !== null) return Promise.reject(failure);
      const written = new Promise<void>((resolve, reject) => {
        queue.push({ line, resolve, reject });
      });
      flushing ??= flush().finally(() => {
        flushing = null;
      });
      return written;
    },
    async drain() {
      while (flushing !== null) await flushing;
    },
  };
}

/**
 * Closes an appending file: every line given so far on disk, the descriptor closed, and the
 * writer's presence marker (writer-presence.ts) withdrawn even if either fails.
 */
export async function closeAppending(
  lines: GroupCommit,
  handle: FileHandle,
  release: () => Promise<void>,
): Promise<void> {
  try {
    await lines.drain();
    await handle.close();
  } finally {
    await release();
  }
}
