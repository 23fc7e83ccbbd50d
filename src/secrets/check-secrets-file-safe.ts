import { lstatSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { SecretsError } from '../errors.js';
import { describeSystemError, errnoCode } from '../files/index.js';

/** The owner and permission bits of a file or folder, as `fstat`/`stat` give them. */
export type OwnerAndMode = Pick<Stats, 'uid' | 'mode'>;

const STICKY = 0o1000;
const OTHERS_WRITE = 0o022;

/**
 * Refuses to write secrets where someone else could have put (or could swap) the file, as
 * ssh refuses an `authorized_keys` that others can write: an existing file must be a regular
 * file (not a symlink) owned by this user and writable by no one else; its folder (the
 * nearest existing one, when folders are still to be made) must be owned by this user or
 * root and, when others may write to it, carry the sticky bit (as `/tmp` does), so that no
 * one else can replace the file. Synchronous and cheap: the apply calls it for every file it
 * will write before any API call. The writer checks the file again on its open descriptor.
 */
export function checkSecretsFileSafe(path: string, label = path): void {
  let file: Stats | null = null;
  try {
    file = lstatSync(path);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') {
      throw new SecretsError(`cannot check ${label}: ${describeSystemError(error)}`);
    }
  }
  if (file !== null) {
    if (file.isSymbolicLink()) {
      throw new SecretsError(`${label} is a symbolic link; refusing to write secrets through it`, {
        hint: 'point --secrets-file at a regular file',
      });
    }
    checkSecretsFileStat(file, label);
  }
  checkFolder(path, label);
}

/** The file half of `checkSecretsFileSafe`, for a descriptor the writer has opened. */
export function checkSecretsFileStat(stat: OwnerAndMode & { isFile(): boolean }, label: string) {
  if (!stat.isFile()) throw new SecretsError(`${label} is not a regular file`);
  const uid = effectiveUid();
  if (uid === undefined) return;
  if (stat.uid !== uid) {
    throw new SecretsError(
      `${label} is owned by another user (uid ${stat.uid}); refusing to write secrets to it`,
      { hint: 'use a secrets file of your own (--secrets-file), or chown it back' },
    );
  }
  if ((stat.mode & OTHERS_WRITE) !== 0) {
    throw new SecretsError(
      `${label} is writable by other users (mode ${octal(stat.mode)}); refusing to write secrets to it`,
      { hint: `chmod 600 ${label}` },
    );
  }
}

/** The folder half of `checkSecretsFileSafe`; also run by the writer before it appends. */
export function checkFolder(path: string, label: string): void {
  const uid = effectiveUid();
  if (uid === undefined) return;
  let folder = dirname(path);
  let stat: Stats;
  for (;;) {
    try {
      stat = statSync(folder);
      break;
    } catch (error) {
      const parent = dirname(folder);
      if (errnoCode(error) !== 'ENOENT' || parent === folder) {
        throw new SecretsError(
          `cannot check the folder of ${label}: ${describeSystemError(error)}`,
        );
      }
      folder = parent;
    }
  }
  const shown = folder === dirname(path) ? dirname(label) : folder;
  if (stat.uid !== uid && stat.uid !== 0) {
    throw new SecretsError(
      `the folder of ${label} is owned by another user (uid ${stat.uid}); refusing to write secrets in it`,
      { hint: 'choose a folder of your own for --secrets-file' },
    );
  }
  if ((stat.mode & OTHERS_WRITE) !== 0 && (stat.mode & STICKY) === 0) {
    throw new SecretsError(
      `the folder of ${label} is writable by other users (mode ${octal(stat.mode)}); refusing to write secrets in it`,
      { hint: `chmod go-w ${shown}, or choose another --secrets-file` },
    );
  }
}

// Owners and modes mean nothing on Windows (no geteuid, no POSIX modes).
// Owners are checked only where there are uids (not on Windows).
function effectiveUid(): number | undefined {
  return process.geteuid?.();
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
