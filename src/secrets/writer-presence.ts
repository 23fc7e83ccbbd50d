import { randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SecretsError } from '../errors.js';
import { errnoCode } from '../files/index.js';

// A reseal replaces the file by renaming a new one over it. A process that holds the old
// file open would go on appending to the old inode, and every string it sealed after the
// rename would be lost with it. So writers and a reseal announce themselves beside the file,
// each before looking for the other: a writer adds its marker, then looks for a reseal's
// lock; a reseal takes the lock, then looks for markers. Whichever comes second sees the
// first and backs off, with nothing written. A marker or lock whose process is gone (kill -9)
// is stale and ignored.

/** Removes this process's marker or lock; safe to call twice. */
export type Release = () => Promise<void>;

const CREATE = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW;

function writersFolder(path: string): string {
  return join(dirname(path), `.${basename(path)}.writers`);
}

function resealLock(path: string): string {
  return join(dirname(path), `.${basename(path)}.reseal`);
}

/**
 * Before a process appends to `path`: its marker, so a reseal never renames the file from
 * under it. Refuses (nothing written) while another process's reseal holds the lock.
 */
export async function announceWriter(path: string, label: string): Promise<Release> {
  const folder = writersFolder(path);
  const marker = join(folder, `${process.pid}.${randomUUID()}`);
  await addMarker(folder, marker, label);
  const release = once(async () => {
    await fs.rm(marker, { force: true });
    // The last writer out leaves no folder behind; one that is not empty stays.
    await fs.rmdir(folder).catch(() => undefined);
  });
  const holder = await liveHolder(resealLock(path));
  if (holder !== null) {
    await release();
    throw new SecretsError(`${label} is being resealed (process ${holder}); nothing was written`, {
      hint: 'run again once the reseal is done',
    });
  }
  return release;
}

/**
 * Before a reseal reads `path`: the lock that keeps new writers out. Refuses (nothing
 * changed) while another process writes to the file or reseals it.
 */
export async function lockForReseal(path: string, label: string): Promise<Release> {
  const lock = resealLock(path);
  let holder = await liveHolder(lock);
  if (holder !== null) throw busy(label, `process ${holder} is resealing it`);
  await fs.rm(lock, { force: true }); // a stale lock: its process is gone
  try {
    await writeNew(lock, label);
  } catch (error) {
    holder = await liveHolder(lock);
    throw busy(label, `process ${holder ?? 'another'} is resealing it`, error);
  }
  const release = once(() => fs.rm(lock, { force: true }));
  const writers = await liveWriters(writersFolder(path));
  if (writers.length > 0) {
    await release();
    const [first] = writers;
    throw busy(label, `process ${first ?? ''} is writing to it (an apply or a delivery)`);
  }
  return release;
}

// The folder may be removed by the last writer leaving just as this one arrives: make it again.
async function addMarker(folder: string, marker: string, label: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await fs.mkdir(folder, { mode: 0o700 }).catch((error: unknown) => {
      if (errnoCode(error) !== 'EEXIST') throw presenceError(label, error);
    });
    try {
      await writeNew(marker, label);
      return;
    } catch (error) {
      const cause = error instanceof SecretsError ? error.cause : error;
      if (errnoCode(cause) !== 'ENOENT' || attempt === 3) throw error;
    }
  }
}

async function writeNew(path: string, label: string): Promise<void> {
  try {
    const handle = await fs.open(path, CREATE, 0o600);
    try {
      await handle.writeFile(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw presenceError(label, error);
  }
}

/** The live process that holds `file`, or `null` (no file, or its process is gone). */
async function liveHolder(file: string): Promise<number | null> {
  const text = await fs.readFile(file, 'utf8').catch(() => null);
  const pid = text === null ? NaN : Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

async function liveWriters(folder: string): Promise<number[]> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const live: number[] = [];
  for (const name of names) {
    const pid = Number(name.split('.')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) live.push(pid);
    else await fs.rm(join(folder, name), { force: true }); // left by a killed process
  }
  return live;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, which counts as alive.
    return errnoCode(error) === 'EPERM';
  }
}

function once(action: () => Promise<void>): Release {
  let done: Promise<void> | null = null;
  return () => (done ??= action());
}

function busy(label: string, why: string, cause?: unknown): SecretsError {
  return new SecretsError(`cannot reseal ${label}: ${why}; nothing was changed`, {
    hint: 'run the reseal again once it is done',
    ...(cause === undefined ? {} : { cause }),
  });
}

function presenceError(label: string, error: unknown): SecretsError {
  return new SecretsError(`cannot mark ${label} as in use: ${String(errnoCode(error) || error)}`, {
    cause: error,
  });
}
