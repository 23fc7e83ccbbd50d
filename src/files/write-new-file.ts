import { constants, promises as fs } from 'node:fs';
import { errnoCode } from './system-errors.js';

/** Create only: never an existing path, never through a symlink. */
const CREATE_FLAGS =
  constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;

/**
 * Writes a new file readable only by its owner (0600) and fsyncs it before returning, so a
 * rename or link that follows publishes bytes that are already on disk. Fails with `EEXIST`
 * when the path exists (or is a symlink): callers write to a fresh temporary name.
 */
export async function writeNewFile(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(path, CREATE_FLAGS, 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Fsyncs a folder, so a name just linked or renamed into it survives a crash too, not only
 * the file's bytes. Some filesystems cannot fsync a folder (`EINVAL`): then it does nothing.
 */
export async function syncFolder(path: string): Promise<void> {
  const handle = await fs.open(path, constants.O_RDONLY);
  try {
    await handle.sync();
  } catch (error) {
    if (errnoCode(error) !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}
