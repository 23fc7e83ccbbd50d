import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MANIFEST_LIMITS, formatBytes } from './limits.js';
import type { ManifestResult, ValidationIssue } from './types.js';
import { sha256, validateManifestSource } from './validate-manifest-text.js';

export { validateManifestText } from './validate-manifest-text.js';
export type { ManifestResult } from './types.js';

/** Options of `loadManifest`. */
export interface LoadManifestOptions {
  /** The time expiries are judged against; passed in so that loading stays deterministic. */
  now: Date;
  /** Folder `file` is relative to; the process's working folder by default. */
  cwd?: string;
}

/**
 * Reads, parses, validates and expands a manifest. Never throws for bad input: a missing,
 * unreadable, oversized or non-UTF-8 file is an issue at line 0 (no position), like any
 * other problem. Messages name the file as given (`tokens.yaml`, not an absolute path).
 */
export async function loadManifest(
  file: string,
  options: LoadManifestOptions,
): Promise<ManifestResult> {
  const read = await readBounded(resolve(options.cwd ?? process.cwd(), file));
  if ('problem' in read) return { ok: false, issues: [fileIssue(file, read.problem, read.hint)] };
  const text = decodeUtf8(read.bytes);
  if (text === null) {
    return {
      ok: false,
      issues: [fileIssue(file, 'is not UTF-8 text', 'save the manifest as UTF-8')],
    };
  }
  return validateManifestSource(text, file, { now: options.now }, sha256(read.bytes));
}

type ReadOutcome = { bytes: Uint8Array } | { problem: string; hint?: string };

/** Reads at most the size limit plus one byte, so `/dev/zero` or a huge file cannot flood memory. */
async function readBounded(path: string): Promise<ReadOutcome> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return describeOpenError(error);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory())
      return { problem: 'is a directory', hint: 'pass the manifest file with -f' };
    if (info.isFile() && info.size > MANIFEST_LIMITS.maxFileBytes) return tooLarge(info.size);
    const limit = MANIFEST_LIMITS.maxFileBytes + 1;
    const buffer = Buffer.alloc(Math.min(limit, info.isFile() ? info.size + 1 : limit));
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MANIFEST_LIMITS.maxFileBytes) return tooLarge(null);
    return { bytes: buffer.subarray(0, length) };
  } catch (error) {
    return describeOpenError(error);
  } finally {
    await handle.close();
  }
}

function tooLarge(size: number | null): ReadOutcome {
  const limit = formatBytes(MANIFEST_LIMITS.maxFileBytes);
  return {
    problem:
      size === null
        ? `file is over ${limit}; the limit is ${limit}`
        : `file is ${formatBytes(size)}; the limit is ${limit}`,
    hint: 'split the manifest, or onboard teams with templates instead of listing every token',
  };
}

function describeOpenError(error: unknown): ReadOutcome {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return { problem: 'no such file', hint: 'pass the manifest with -f FILE (see examples/)' };
    case 'EACCES':
    case 'EPERM':
      return { problem: 'permission denied', hint: 'make the file readable' };
    case 'EISDIR':
      return { problem: 'is a directory', hint: 'pass the manifest file with -f' };
    default:
      return { problem: `cannot be read (${code ?? 'unknown error'})` };
  }
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    // A leading byte order mark is dropped by the decoder.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function fileIssue(file: string, problem: string, hint?: string): ValidationIssue {
  return {
    file,
    line: 0,
    column: 0,
    severity: 'error',
    code: 'file',
    message: problem,
    ...(hint === undefined ? {} : { hint }),
  };
}
