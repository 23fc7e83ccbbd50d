import type { FileHandle } from 'node:fs/promises';

/**
 * Appends whole lines with a single `write()` on an `O_APPEND` handle, then fsyncs. One
 * write per batch is what keeps concurrent writers' lines whole: the kernel never interleaves
 * another process's append inside it. A short write (disk full, a signal) leaves a fragment:
 * the retry starts with a newline so the fragment becomes a line of its own that readers
 * skip, then writes every line again (a line written twice is read once).
 */
export async function appendLines(handle: FileHandle, lines: string[]): Promise<void> {
  const text = lines.join('\n');
  let bytes = Buffer.from(`${text}\n`);
  for (let attempt = 0; ; attempt += 1) {
    const { bytesWritten } = await handle.write(bytes, 0, bytes.length, null);
    if (bytesWritten === bytes.length) break;
    if (attempt === 2) throw new Error(`short write (${bytesWritten} of ${bytes.length} bytes)`);
    bytes = Buffer.from(`\n${text}\n`);
  }
  await handle.sync();
}
