import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isProduct, type ClusterDatabase, type Product } from '../model/index.js';
import { UsageError } from '../errors.js';
import type { StoredToken } from './emulator-store.js';
import { READ_LIMITS, readRegularFile } from '../files/index.js';

/** The `--state` file: ids, databases and tokens (each with a hash, never its string). */
export interface EmulatorState {
  version: 1;
  /** Absent in files written before Clustered: those are Dedicated. */
  product?: Product;
  accountId: string;
  clusterId: string;
  databases: ClusterDatabase[];
  tokens: StoredToken[];
}

/** Reads a state file; undefined when it does not exist yet. */
export async function readStateFile(path: string): Promise<EmulatorState | undefined> {
  const read = await readRegularFile(path, READ_LIMITS.emulatorStateBytes);
  if (!read.ok) {
    if (read.code === 'missing') return undefined;
    throw new UsageError(`--state: ${path}: ${read.problem}`, {
      hint: 'point --state at a JSON file the emulator wrote, or at a new path',
    });
  }
  const text = read.bytes.toString('utf8');
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    throw new UsageError(`--state: ${path} is not JSON`, { hint: 'remove it to start empty' });
  }
  const candidate = state as Partial<EmulatorState> | null;
  if (
    candidate?.version !== 1 ||
    (candidate.product !== undefined && !isProduct(candidate.product)) ||
    typeof candidate.accountId !== 'string' ||
    typeof candidate.clusterId !== 'string' ||
    !Array.isArray(candidate.databases) ||
    !Array.isArray(candidate.tokens) ||
    !candidate.tokens.every((t: unknown) => looksStored(t))
  ) {
    throw new UsageError(`--state: ${path} is not an emulator state file`, {
      hint: 'remove it to start empty',
    });
  }
  return candidate as EmulatorState;
}

// The file is the emulator's own, but may have been edited: an entry may be anything.
function looksStored(token: unknown): boolean {
  return (
    typeof token === 'object' &&
    token !== null &&
    'id' in token &&
    typeof token.id === 'string' &&
    'accessTokenSha256' in token &&
    typeof token.accessTokenSha256 === 'string'
  );
}

/**
 * Writes the state file atomically (temp file, fsync, rename, fsync of the directory) so a
 * crash leaves the old or the new state, never half of one. Calls made while a write is
 * running are coalesced into one more write; each call resolves once a write that started
 * after it has reached the disk, so an answered request is durable.
 */
export function createStateWriter(
  path: string,
  snapshot: () => EmulatorState,
): { persist: () => Promise<void> } {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let sequence = 0;

  async function write(): Promise<void> {
    sequence += 1;
    const temp = `${path}.${process.pid}.${sequence}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(snapshot(), null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncDirectory(dirname(path));
  }

  function persist(): Promise<void> {
    if (running === undefined) {
      running = write().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return persist();
      });
    return queued;
  }

  return { persist };
}

async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  }
}
