import { resolve } from 'node:path';
import { Decrypter } from 'age-encryption';
import { UsageError } from '../errors.js';
import { READ_LIMITS, readRegularFile } from '../files/index.js';
import type { ReadingKeys } from './types.js';

const IDENTITY_FILE_HINT =
  'an identity file is what age-keygen writes: # comments, one secret key per line';

/** Where reading keys come from. */
export interface LoadIdentitiesOptions {
  /** `-i FILE`; wins over the environment. */
  identityFile?: string | undefined;
  /** Reads `PROVISION_AGE_IDENTITY` (a file path) and `PROVISION_PASSPHRASE`. */
  env: NodeJS.ProcessEnv;
  /** Relative identity paths resolve from here. */
  cwd: string;
}

/**
 * The keys to open a secrets file: identities from `-i FILE` or `PROVISION_AGE_IDENTITY`
 * (age identity file format: `#` comments, one `AGE-SECRET-KEY-1…` per line), else the
 * passphrase `PROVISION_PASSPHRASE`. Never puts a key into an error message.
 */
export async function loadIdentities(options: LoadIdentitiesOptions): Promise<ReadingKeys> {
  const fromEnv = options.env.PROVISION_AGE_IDENTITY;
  const file =
    options.identityFile ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  if (file !== undefined) {
    const source = options.identityFile === undefined ? ' (PROVISION_AGE_IDENTITY)' : '';
    return { identities: await readIdentityFile(resolve(options.cwd, file), file + source) };
  }
  const passphrase = options.env.PROVISION_PASSPHRASE;
  if (passphrase !== undefined && passphrase !== '') return { passphrase };
  throw new UsageError('no key to open the secrets file', {
    hint: 'pass -i IDENTITY_FILE, or set PROVISION_AGE_IDENTITY (a file path) or PROVISION_PASSPHRASE',
  });
}

async function readIdentityFile(path: string, label: string): Promise<string[]> {
  // Bounded and regular files only: `-i /dev/zero` or a FIFO is one clear error, not a hang.
  const read = await readRegularFile(path, READ_LIMITS.identityBytes);
  if (!read.ok) {
    if (read.code === 'missing') throw new UsageError(`${label}: no such file`);
    if (read.code === 'unreadable') throw new UsageError(`cannot read ${label}: ${read.problem}`);
    throw new UsageError(`${label} ${read.problem}`, { hint: IDENTITY_FILE_HINT });
  }
  const text = read.bytes.toString('utf8');
  const identities: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!isIdentity(line)) {
      throw new UsageError(`${label}:${index + 1}: not an age identity`, {
        hint: IDENTITY_FILE_HINT,
      });
    }
    identities.push(line);
  }
  if (identities.length === 0) {
    throw new UsageError(`${label}: no age identity in the file`, {
      hint: IDENTITY_FILE_HINT,
    });
  }
  return identities;
}

function isIdentity(line: string): boolean {
  if (!/^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(line)) return false;
  try {
    // age-encryption checks the bech32 checksum and key length when an identity is added.
    new Decrypter().addIdentity(line);
    return true;
  } catch {
    return false;
  }
}
