import { SecretsError } from '../errors.js';
import { READ_LIMITS, readRegularFile } from '../files/index.js';
import { parseSecretsFile, type ParsedSecretsFile } from './parse-secrets-file.js';

/**
 * Reads and parses a secrets file; `null` when it does not exist. A FIFO, device or folder
 * is refused before a byte is read, and the size is capped (`READ_LIMITS.secretsBytes`).
 */
export async function readSecretsFile(
  path: string,
  label: string,
): Promise<ParsedSecretsFile | null> {
  const read = await readRegularFile(path, READ_LIMITS.secretsBytes);
  if (!read.ok) {
    if (read.code === 'missing') return null;
    // "is a folder, not a file", "is 300 MiB; the limit is 256 MiB", "permission denied".
    throw new SecretsError(
      read.code === 'unreadable'
        ? `cannot read ${label}: ${read.problem}`
        : `${label} ${read.problem}`,
    );
  }
  return parseSecretsFile(read.bytes.toString('utf8'), label);
}

/** The SecretsError for a missing file, worded the same everywhere. */
export function noSuchFile(label: string): SecretsError {
  return new SecretsError(`${label}: no such file`);
}
