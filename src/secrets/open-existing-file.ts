import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { SecretsError } from '../errors.js';
import { checkFolder, checkSecretsFileStat } from './check-secrets-file-safe.js';
import { describeSystemError, errnoCode } from '../files/index.js';
import { parseHeader, SECRETS_HEADER_MAX_BYTES, type SecretsHeader } from './parse-secrets-file.js';

/** An existing secrets file opened for appending, its header checked. */
export interface OpenedSecretsFile {
  handle: FileHandle;
  header: SecretsHeader;
  /** Line 2 as text (where a passphrase file keeps its key), or `null`. */
  secondLine: string | null;
  /** False when the last append was torn (no final newline): it must be terminated first. */
  endsWithNewline: boolean;
}

const APPEND_FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_NOFOLLOW;

/**
 * Opens the secrets file at `path` for appending, or returns `null` when there is none.
 * Refuses a symlink (`O_NOFOLLOW`), anything but a regular file, a file that others could
 * have written (checked on the open descriptor, so a path swapped after the apply's
 * preflight cannot slip through), and a file whose first line is not a provision secrets
 * header, before writing a single byte.
 */
export async function openExistingFile(
  path: string,
  label: string,
): Promise<OpenedSecretsFile | null> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, APPEND_FLAGS);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    if (errnoCode(error) === 'ELOOP' || errnoCode(error) === 'EMLINK') {
      throw new SecretsError(`${label} is a symbolic link; refusing to write secrets through it`, {
        hint: 'point --secrets-file at a regular file',
      });
    }
    throw new SecretsError(`cannot open ${label}: ${describeSystemError(error)}`, { cause: error });
  }
  try {
    const stat = await handle.stat();
    checkSecretsFileStat(stat, label);
    checkFolder(path, label);
    const [first, second] = await readLeadingLines(handle, stat.size, 2);
    const header = parseHeader(
      first ?? '',
      label,
      'refusing to append to it: choose another --secrets-file',
    );
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, stat.size - 1);
    return { handle, header, secondLine: second ?? null, endsWithNewline: last[0] === 0x0a };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The first `count` complete lines, reading at most `SECRETS_HEADER_MAX_BYTES`; line 1 is
 * returned even without its newline (a header-only file written by hand).
 */
async function readLeadingLines(
  handle: FileHandle,
  size: number,
  count: number,
): Promise<string[]> {
  const bytes = Buffer.alloc(Math.min(size, SECRETS_HEADER_MAX_BYTES));
  let length = 0;
  let newlines = 0;
  while (length < bytes.length && newlines < count) {
    const { bytesRead } = await handle.read(bytes, length, bytes.length - length, length);
    if (bytesRead === 0) break;
    for (let i = length; i < length + bytesRead; i += 1) if (bytes[i] === 0x0a) newlines += 1;
    length += bytesRead;
  }
  const pieces = bytes.subarray(0, length).toString('utf8').split('\n');
  const complete = pieces.slice(0, -1);
  return complete.length === 0 ? pieces.slice(0, 1) : complete.slice(0, count);
}
