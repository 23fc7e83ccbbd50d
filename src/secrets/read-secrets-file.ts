import { promises as fs } from 'node:fs';
import { SecretsError } from '../errors.js';
import { code, describe } from './create-secrets-file.js';
import { parseSecretsFile, type ParsedSecretsFile } from './parse-secrets-file.js';

/** Reads and parses a secrets file; `null` when it does not exist. */
export async function readSecretsFile(
  path: string,
  label: string,
): Promise<ParsedSecretsFile | null> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if (code(error) === 'ENOENT') return null;
    throw new SecretsError(`cannot read ${label}: ${describe(error)}`, { cause: error });
  }
  return parseSecretsFile(text, label);
}

/** The SecretsError for a missing file, worded the same everywhere. */
export function noSuchFile(label: string): SecretsError {
  return new SecretsError(`${label}: no such file`);
}
