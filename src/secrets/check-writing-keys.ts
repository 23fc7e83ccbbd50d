import { closeSync, constants, openSync, readSync } from 'node:fs';
import { SecretsError } from '../errors.js';
import { describeSystemError, errnoCode } from '../files/index.js';
import { normalizeRecipients } from './keys-for-writing.js';
import { parseHeader, SECRETS_HEADER_MAX_BYTES, type SecretsHeader } from './parse-secrets-file.js';
import type { WritingKeys } from './types.js';

/**
 * A consistency check, never a choice of keys: an existing file is only appended to with
 * the keys it says it was created for, so that a forgotten `PROVISION_AGE_RECIPIENTS` or a
 * stray `--recipient` cannot leave a file whose records different people can open. The
 * header's claim is plaintext that anyone with write access can edit; editing it can only
 * make this refuse. What seals new strings is always `keys`, from trusted inputs.
 */
export function checkWritingKeys(header: SecretsHeader, keys: WritingKeys, label: string): void {
  const n = header.recipients.length;
  const hint =
    "a secrets file's recipients never change: use another --secrets-file, or the same keys";
  if ('passphrase' in keys) {
    if (!header.passphrase) {
      throw new SecretsError(
        `${label} is sealed to ${n} recipient${n === 1 ? '' : 's'}, not a passphrase`,
        { hint },
      );
    }
    return;
  }
  if (header.passphrase) {
    throw new SecretsError(`${label} is sealed to a passphrase, not to recipients`, { hint });
  }
  if (JSON.stringify(normalizeRecipients(header.recipients)) !== JSON.stringify(keys.recipients)) {
    throw new SecretsError(
      `${label} is sealed to other recipients (${n}) than this apply's (${keys.recipients.length})`,
      { hint },
    );
  }
}

/**
 * `checkWritingKeys` for a file that may exist, before any API call of an apply: reads only
 * its first line (bounded; a FIFO cannot block it). A missing file passes: it will be
 * created for these keys. Synchronous, like `checkSecretsFileSafe`, which runs first.
 */
export function checkSecretsFileKeys(path: string, keys: WritingKeys, label = path): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw new SecretsError(`cannot open ${label}: ${describeSystemError(error)}`);
  }
  let first: string;
  try {
    const bytes = Buffer.alloc(SECRETS_HEADER_MAX_BYTES);
    const length = readSync(fd, bytes, 0, bytes.length, 0);
    first = bytes.subarray(0, length).toString('utf8').split('\n')[0] ?? '';
  } catch (error) {
    throw new SecretsError(`cannot read ${label}: ${describeSystemError(error)}`);
  } finally {
    closeSync(fd);
  }
  const header = parseHeader(
    first,
    label,
    'refusing to append to it: choose another --secrets-file',
  );
  checkWritingKeys(header, keys, label);
}
