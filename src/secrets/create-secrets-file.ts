import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SecretsError } from '../errors.js';
import { describeSystemError, errnoCode, syncFolder, writeNewFile } from '../files/index.js';
import { SECRETS_FORMAT, SECRETS_VERSION, type KeyLine } from './parse-secrets-file.js';
import type { WritingKeys } from './types.js';

/**
 * Creates the secrets file with its header and first key line, atomically: both are
 * written and fsync'd to a private temporary file that is then hard-linked into place, so
 * no reader or concurrent writer ever sees the path without them. `link` never replaces an
 * existing path (nor follows a symlink there): if another apply created the file first, this
 * returns `false` and the caller appends to theirs.
 */
export async function createSecretsFile(
  path: string,
  keys: WritingKeys,
  key: KeyLine,
  label: string,
): Promise<boolean> {
  const header = {
    format: SECRETS_FORMAT,
    version: SECRETS_VERSION,
    passphrase: 'passphrase' in keys,
    recipients: 'recipients' in keys ? keys.recipients : [],
  };
  const text = `${JSON.stringify(header)}\n${JSON.stringify(key)}\n`;
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    await writeNewFile(temporary, text);
    try {
      await fs.link(temporary, path);
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') return false;
      // Filesystems without hard links: an exclusive create is still safe, only not atomic.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(errnoCode(error)))
        throw error;
      try {
        await writeNewFile(path, text);
      } catch (fallbackError) {
        if (errnoCode(fallbackError) === 'EEXIST') return false;
        throw fallbackError;
      }
    }
    await syncFolder(dirname(path));
    return true;
  } catch (error) {
    throw new SecretsError(`cannot create ${label}: ${describeSystemError(error)}`, {
      cause: error,
    });
  } finally {
    await fs.rm(temporary, { force: true });
  }
}
