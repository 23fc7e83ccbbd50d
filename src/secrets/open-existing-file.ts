import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { SecretsError } from '../errors.js';
import { code, describe } from './create-secrets-file.js';
import { parseHeader, type SecretsHeader } from './parse-secrets-file.js';

/** An existing secrets file opened for appending, its header checked. */
export interface OpenedSecretsFile {
  handle: FileHandle;
  header: SecretsHeader;
  /** False when the last append was torn (no final newline): it must be terminated first. */
  endsWithNewline: boolean;
}

const APPEND_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_NOFOLLOW;
const MAX_HEADER_BYTES = 1 << 20;

/**
 * Opens the secrets file at `path` for appending, or returns `null` when there is none.
 * Refuses a symlink (`O_NOFOLLOW`), anything but a regular file, and a file whose first
 * line is not a provision secrets header, before writing a single byte.
 */
export async function openExistingFile(
  path: string,
  label: string,
): Promise<OpenedSecretsFile | null> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, APPEND_FLAGS);
  } catch (error) {
    if (code(error) === 'ENOENT') return null;
    if (code(error) === 'ELOOP' || code(error) === 'EMLINK') {
      throw new SecretsError(`${label} is a symbolic link; refusing to write secrets through it`, {
        hint: 'point --secrets-file at a regular file',
      });
    }
    throw new SecretsError(`cannot open ${label}: ${describe(error)}`, { cause: error });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new SecretsError(`${label} is not a regular file`);
    const firstLine = await readFirstLine(handle, stat.size);
    const header = parseHeader(
      firstLine,
      label,
      'refusing to append to it: choose another --secrets-file',
    );
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, stat.size - 1);
    return { handle, header, endsWithNewline: last[0] === 0x0a };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readFirstLine(handle: FileHandle, size: number): Promise<string> {
  const chunks: Buffer[] = [];
  let position = 0;
  while (position < Math.min(size, MAX_HEADER_BYTES)) {
    const chunk = Buffer.alloc(Math.min(65536, size - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    const newline = chunk.subarray(0, bytesRead).indexOf(0x0a);
    if (newline !== -1) {
      chunks.push(chunk.subarray(0, newline));
      break;
    }
    chunks.push(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
  return Buffer.concat(chunks).toString('utf8');
}
