import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SecretsError } from '../errors.js';
import { describeSystemError, writeNewFile } from '../files/index.js';

/**
 * Writes an export readable only by its owner (0600), atomically: a private temporary file,
 * fsync'd, renamed over the target. A reader never sees half an export, and an existing
 * file (or a symlink) at the path is replaced, not written through.
 */
export async function writePrivateFile(
  path: string,
  data: Uint8Array | string,
  label = path,
): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    await writeNewFile(temporary, data);
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new SecretsError(`cannot write ${label}: ${describeSystemError(error)}`, {
      cause: error,
    });
  }
}
