import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { formatBytes } from './format-bytes.js';
import { errnoCode } from './system-errors.js';

/** Why a file could not be read, as words for `<label>: <problem>` and a code for callers. */
export interface ReadProblem {
  code: 'missing' | 'not-regular' | 'too-large' | 'unreadable';
  problem: string;
}

/** The bytes of a regular file, or why there are none. */
export type ReadOutcome = { ok: true; bytes: Buffer } | ({ ok: false } & ReadProblem);

// O_NONBLOCK: opening a FIFO for reading must not wait for a writer (it would block forever);
// it changes nothing for a regular file. The type is checked on the open descriptor (fstat),
// so a path swapped between a check and the open cannot slip a device past it.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;
const CHUNK = 64 * 1024;

/**
 * Reads a whole regular file of at most `maxBytes`. Folders, FIFOs, sockets and devices
 * (`/dev/zero`, `/dev/stdin`) are refused before a byte is read, and never more than
 * `maxBytes + 1` bytes are read, even from a file that grows while it is read.
 *
 * The work is synchronous underneath: every caller reads its inputs before starting any
 * concurrent work, and one code path is easier to keep bounded than two.
 */
export function readRegularFile(path: string, maxBytes: number): Promise<ReadOutcome> {
  return Promise.resolve(readRegularFileSync(path, maxBytes));
}

/** `readRegularFile` for synchronous callers (the connection is resolved in one go). */
export function readRegularFileSync(path: string, maxBytes: number): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    return failed(describeOpenError(error));
  }
  try {
    const info = fstatSync(fd);
    const refused = checkStat(info, maxBytes);
    if (refused !== null) return failed(refused);
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, info.size + 1));
    let length = 0;
    for (;;) {
      if (length === buffer.length) return failed(tooLarge(null, maxBytes));
      const bytesRead = readSync(fd, buffer, length, Math.min(CHUNK, buffer.length - length), null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return failed(describeOpenError(error));
  } finally {
    closeSync(fd);
  }
}

function checkStat(
  info: { isFile(): boolean; isDirectory(): boolean; size: number },
  maxBytes: number,
): ReadProblem | null {
  if (info.isDirectory()) return { code: 'not-regular', problem: 'is a folder, not a file' };
  if (!info.isFile()) {
    return {
      code: 'not-regular',
      problem: 'is not a regular file (a pipe, socket or device); refusing to read it',
    };
  }
  if (info.size > maxBytes) return tooLarge(info.size, maxBytes);
  return null;
}

function tooLarge(size: number | null, maxBytes: number): ReadProblem {
  const limit = formatBytes(maxBytes);
  return {
    code: 'too-large',
    problem:
      size === null
        ? `is over ${limit}; the limit is ${limit}`
        : `is ${formatBytes(size)}; the limit is ${limit}`,
  };
}

function describeOpenError(error: unknown): ReadProblem {
  const code = errnoCode(error);
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { code: 'missing', problem: 'no such file' };
    case 'EACCES':
    case 'EPERM':
      return { code: 'unreadable', problem: 'permission denied' };
    case 'EISDIR':
      return { code: 'not-regular', problem: 'is a folder, not a file' };
    default:
      return { code: 'unreadable', problem: `cannot be read (${code})` };
  }
}

function failed(problem: ReadProblem): ReadOutcome {
  return { ok: false, ...problem };
}
