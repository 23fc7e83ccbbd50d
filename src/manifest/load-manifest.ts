import { resolve } from 'node:path';
import { READ_LIMITS, readRegularFile } from '../files/index.js';
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
  const read = await readManifestBytes(resolve(options.cwd ?? process.cwd(), file));
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

/** The manifest's bytes, or the issue that says why it cannot be read. */
async function readManifestBytes(
  path: string,
): Promise<{ bytes: Uint8Array } | { problem: string; hint?: string }> {
  const read = await readRegularFile(path, READ_LIMITS.manifestBytes);
  if (read.ok) return { bytes: read.bytes };
  switch (read.code) {
    case 'missing':
      return { problem: read.problem, hint: 'pass the manifest with -f FILE' };
    case 'too-large':
      return {
        problem: `file ${read.problem}`,
        hint: 'split the manifest, or onboard teams with templates instead of listing every token',
      };
    case 'not-regular':
      return { problem: read.problem, hint: 'pass the manifest file with -f' };
    case 'unreadable':
      return { problem: read.problem, hint: 'make the file readable' };
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
