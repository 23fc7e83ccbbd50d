import type { FileHandle } from 'node:fs/promises';

/**
 * Appends one line with a single `write()` on an `O_APPEND` handle, then fsyncs. One write
 * per line is what keeps concurrent writers' lines whole. A short write (disk full, a
 * signal) leaves a fragment: it is terminated by the newline that starts the retry, so it
 * becomes a line of its own that readers skip, and the record is written again whole.
 */
export async function appendLine(handle: FileHandle, line: string): Promise<void> {
  let bytes = Buffer.from(`${line}\n`);
  for (let attempt = 0; ; attempt += 1) {
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length, null);
    if (bytesWritten === bytes.length) break;
    if (attempt === 2) throw new Error(`short write (${bytesWritten} of ${bytes.length} bytes)`);
    bytes = Buffer.from(`\n${line}\n`);
  }
  await handle.sync();
}
