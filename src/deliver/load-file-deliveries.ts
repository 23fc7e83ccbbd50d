import type { DeliveryTarget } from '../model/index.js';
import {
  decryptSecrets,
  deliveredPairs,
  presentRecords,
  readSecretsFile,
  type ReadingKeys,
  type SkippedRecord,
} from '../secrets/index.js';
import { SecretsError } from '../errors.js';
import { selectDeliveries } from './select-deliveries.js';
import type { DeliveryJob } from './types.js';

/** What `secrets deliver` found to do in one file. */
export interface FileDeliveries {
  jobs: DeliveryJob[];
  /** Pairs the file's delivery records say are done, left out. */
  alreadyDelivered: number;
  /** Records that could not be opened or trusted: named, never delivered. */
  skipped: SkippedRecord[];
}

/**
 * The deliveries a secrets file still owes: each current token (the one its name uses now,
 * under its current name) to each target that takes it, less those whose last delivery
 * record says `ok`. The records are decrypted and checked like `export` does; the delivery
 * records are plaintext claims that only ever make provision deliver less, never something
 * else, and are bounded by the parser.
 */
export async function loadFileDeliveries(
  path: string,
  label: string,
  keys: ReadingKeys,
  targets: readonly DeliveryTarget[],
  only: readonly string[] = [],
): Promise<FileDeliveries> {
  const file = await readSecretsFile(path, label);
  if (file === null) throw new SecretsError(`${label}: no such file`);
  const decrypted = await decryptSecrets(path, keys, { label });
  const current = presentRecords(decrypted, { all: false });
  const { jobs, alreadyDelivered } = selectDeliveries(current, targets, path, {
    delivered: deliveredPairs(file),
    only,
  });
  return { jobs, alreadyDelivered, skipped: decrypted.skipped };
}
