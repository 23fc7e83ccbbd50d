import { randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SecretsError } from '../errors.js';
import { READ_LIMITS } from '../files/index.js';
import { checkSecretsFileSafe, checkSecretsFileStat } from './check-secrets-file-safe.js';
import { describeSystemError, syncFolder, writeNewFile } from '../files/index.js';
import { lockForReseal } from './writer-presence.js';
import { decryptParsedSecrets } from './decrypt-secrets.js';
import { createFileKey } from './file-key.js';
import { SECRETS_FORMAT, SECRETS_VERSION, parseSecretsFile } from './parse-secrets-file.js';
import { presentRecords } from './present-records.js';
import { resealLines } from './reseal-lines.js';
import type { ReadingKeys, WritingKeys } from './types.js';

/** Where a reseal is, for the tests' kill points: the new file is written aside, or in place. */
export type ResealStage = 'written' | 'renamed';

/** What a reseal did, for the report. Never holds a secret. */
export interface ResealResult {
  records: number;
  /** Who the file said it was sealed to before (header and key lines: plaintext claims). */
  formerRecipients: string[];
  formerPassphrase: boolean;
  /** Names of the current tokens: strings a former recipient could have opened. */
  currentNames: string[];
}

/**
 * Re-encrypts every sealed record of a secrets file to a new file key sealed to `to` (the
 * recipients from trusted inputs only), and replaces the file atomically: the new file is
 * written aside (0600, `O_EXCL | O_NOFOLLOW`), fsync'd, renamed over the old one and the
 * folder fsync'd, so a reader or a `kill -9` sees the old file or the new one, never a mix.
 * Intents, renames, revokes and delivery records are kept as they were; old key lines are
 * dropped (nothing is sealed to them any more). Refuses, changing nothing, when `from`
 * cannot open and trust every record (a reseal must not drop one) or when the file changed
 * while it was being resealed (a concurrent apply appended to it).
 */
export async function resealSecretsFile(
  path: string,
  from: ReadingKeys,
  to: WritingKeys,
  options: { label?: string; onStage?: ((stage: ResealStage) => void) | undefined } = {},
): Promise<ResealResult> {
  const label = options.label ?? path;
  checkSecretsFileSafe(path, label);
  // Before reading: no apply or delivery may append to the file being replaced.
  const release = await lockForReseal(path, label);
  try {
    return await reseal(path, from, to, label, options.onStage);
  } finally {
    await release();
  }
}

async function reseal(
  path: string,
  from: ReadingKeys,
  to: WritingKeys,
  label: string,
  onStage: ((stage: ResealStage) => void) | undefined,
): Promise<ResealResult> {
  const handle = await fs
    .open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
    .catch((error: unknown) => {
      throw new SecretsError(`cannot open ${label}: ${describeSystemError(error)}`, {
        cause: error,
      });
    });
  try {
    const before = await handle.stat();
    checkSecretsFileStat(before, label);
    if (before.size > READ_LIMITS.secretsBytes) throw new SecretsError(`${label} is too large`);
    const bytes = await handle.readFile();
    const file = parseSecretsFile(bytes.toString('utf8'), label);
    const decrypted = await decryptParsedSecrets(file, from, label);
    if (decrypted.skipped.length > 0) {
      throw new SecretsError(
        `cannot reseal ${label}: ${decrypted.skipped.length} sealed record(s) could not be opened or trusted (${decrypted.skipped[0]?.message ?? ''}); nothing was changed`,
        { hint: 'use an identity (-i) that opens every record; a reseal never drops one' },
      );
    }
    const key = await createFileKey(to, new Date().toISOString());
    const header = {
      format: SECRETS_FORMAT,
      version: SECRETS_VERSION,
      passphrase: 'passphrase' in to,
      recipients: 'recipients' in to ? to.recipients : [],
    };
    const lines = await resealLines(file, decrypted.records, key);
    const text = [header, key.line, ...lines].map((line) => `${JSON.stringify(line)}\n`).join('');

    const aside = join(dirname(path), `.${basename(path)}.${randomUUID()}.reseal.tmp`);
    try {
      await writeNewFile(aside, text);
      onStage?.('written');
      const now = await handle.stat();
      const there = await fs.lstat(path);
      if (now.size !== before.size || there.ino !== before.ino || there.dev !== before.dev) {
        throw new SecretsError(
          `${label} changed while it was being resealed; nothing was changed`,
          {
            hint: 'an apply or delivery was writing to it: run reseal again when it is done',
          },
        );
      }
      await fs.rename(aside, path);
    } catch (error) {
      await fs.rm(aside, { force: true });
      throw error instanceof SecretsError
        ? error
        : new SecretsError(`cannot reseal ${label}: ${describeSystemError(error)}`, {
            cause: error,
          });
    }
    await syncFolder(dirname(path));
    onStage?.('renamed');
    const former = [file.header, ...file.keys];
    return {
      records: decrypted.records.length,
      formerRecipients: [...new Set(former.flatMap((line) => line.recipients))].sort(),
      formerPassphrase: former.some((line) => line.passphrase),
      currentNames: [...new Set(presentRecords(decrypted, { all: false }).map((r) => r.name))],
    };
  } finally {
    await handle.close();
  }
}
