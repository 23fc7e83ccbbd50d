import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { armor, identityToRecipient } from 'age-encryption';
import { UsageError } from '../../errors.js';
import {
  checkRecipients,
  decryptSecrets,
  exportSecrets,
  loadIdentities,
  presentRecords,
  normalizeRecipients,
  readSecretsIndex,
  recipientsFromEnv,
  writePrivateFile,
  type ExportFormat,
  type ReadingKeys,
  type SecretsIndex,
  type SkippedRecord,
  type WritingKeys,
} from '../../secrets/index.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo } from '../io.js';
import { renderSecretsList } from '../reporters/secrets-list-text.js';

/** `provision secrets list FILE [--format text|json]`. */
export interface SecretsListOptions {
  file: string;
  format?: 'text' | 'json';
}

/** `provision secrets decrypt FILE [-i IDENTITY]`. */
export interface SecretsDecryptOptions {
  file: string;
  identity?: string;
}

/** `provision secrets export FILE [-i IDENTITY] [--format age|json|env] [-o OUT] [--all] …`. */
export interface SecretsExportOptions extends SecretsDecryptOptions {
  format?: ExportFormat;
  output?: string;
  recipient?: string[];
  armor?: boolean;
  /** Superseded and revoked tokens too; by default only the current token of each name. */
  all?: boolean;
}

/** Lists what is sealed, from the plaintext metadata: no identity needed, never a string. */
export async function secretsListCommand(options: SecretsListOptions, io: CliIo): Promise<number> {
  const index = await readIndex(options.file, io);
  if (options.format === 'json') {
    writeLine(io.stdout, JSON.stringify(index.entries, null, 2));
  } else {
    for (const line of renderSecretsList(index.entries)) writeLine(io.stdout, line);
  }
  warnUnresolved(index, io);
  return ExitCode.Ok;
}

/**
 * Prints every trusted record (current, superseded and revoked, each with its status) as a
 * JSON array: the user asked for plaintext.
 */
export async function secretsDecryptCommand(
  options: SecretsDecryptOptions,
  io: CliIo,
): Promise<number> {
  const index = await readIndex(options.file, io);
  const keys = await readingKeys(options, index, io);
  const decrypted = await decryptSecrets(resolve(io.cwd, options.file), keys, {
    label: options.file,
  });
  const records = presentRecords(decrypted, { all: true });
  warnIfTerminal(io);
  await write(io, await exportSecrets(records, 'json'));
  return reportSkipped(decrypted.skipped, records.length, io);
}

/** Re-encrypts the records into one standard age file, or writes them as plaintext. */
export async function secretsExportCommand(
  options: SecretsExportOptions,
  io: CliIo,
): Promise<number> {
  const format = options.format ?? 'age';
  const all = options.all === true;
  if (all && (format === 'env' || format === 'dotenv' || format === 'k8s-secret')) {
    throw new UsageError(
      `--all does not go with --format ${format}: ${format === 'k8s-secret' ? 'a Secret key' : 'a variable'} holds one string`,
      {
        hint: 'export --all --format json (or age) for the history',
      },
    );
  }
  const flagRecipients = checkRecipients(options.recipient ?? [], '--recipient');
  if (format === 'age' && options.armor !== true && !options.output && isTerminal(io)) {
    throw new UsageError('refusing to write a binary age file to the terminal', {
      hint: 'use -o FILE, --armor, or redirect stdout',
    });
  }
  const index = await readIndex(options.file, io);
  if (options.output !== undefined && (await sameFile(io, options.file, options.output))) {
    throw new UsageError(`refusing to overwrite the secrets file ${options.file} with its export`, {
      hint: 'choose another -o FILE',
    });
  }
  const keys = await readingKeys(options, index, io);
  const sealTo = await exportKeys(flagRecipients, keys, io);
  const decrypted = await decryptSecrets(resolve(io.cwd, options.file), keys, {
    label: options.file,
  });
  const { skipped } = decrypted;
  const records = presentRecords(decrypted, { all });
  let data: Uint8Array | string;
  if (format === 'age') {
    const bytes = await exportSecrets(records, 'age', sealTo);
    data = options.armor === true ? armor.encode(bytes) : bytes;
  } else {
    data = await exportSecrets(records, format);
  }
  if (options.output !== undefined) {
    await writePrivateFile(resolve(io.cwd, options.output), data, options.output);
    writeLine(io.stdout, `${count(records.length, 'token')} exported to ${options.output}`);
    return reportSkipped(skipped, records.length, io);
  }
  if (typeof data === 'string' && format !== 'age') warnIfTerminal(io);
  await write(io, data);
  return reportSkipped(skipped, records.length, io);
}

// Records that could not be trusted are named (never their contents) after the rest were
// written; the run still fails, so a script notices that the output is incomplete.
export function reportSkipped(skipped: SkippedRecord[], written: number, io: CliIo): number {
  if (skipped.length === 0) return ExitCode.Ok;
  for (const record of skipped) writeLine(io.stderr, `warning: ${record.message}`);
  writeLine(
    io.stderr,
    `error: ${count(skipped.length, 'sealed record')} could not be read; the other ${count(written, 'token')} were written`,
  );
  return ExitCode.Error;
}

async function sameFile(io: CliIo, a: string, b: string): Promise<boolean> {
  const [first, second] = await Promise.all(
    [a, b].map((file) => stat(resolve(io.cwd, file)).catch(() => null)),
  );
  return Boolean(first && second && first.dev === second.dev && first.ino === second.ino);
}

export async function readIndex(file: string, io: CliIo): Promise<SecretsIndex> {
  return readSecretsIndex(resolve(io.cwd, file), { label: file, mustExist: true });
}

/** How to open a file: `-i`, `PROVISION_AGE_IDENTITY`, or the passphrase for a passphrase file. */
export async function readingKeys(
  options: SecretsDecryptOptions,
  index: SecretsIndex,
  io: CliIo,
): Promise<ReadingKeys> {
  // A passphrase file opens with PROVISION_PASSPHRASE even when an identity is also set.
  const passphrase = io.env.PROVISION_PASSPHRASE;
  if (index.header?.passphrase === true && options.identity === undefined && passphrase) {
    return { passphrase };
  }
  return loadIdentities({
    ...(options.identity === undefined ? {} : { identityFile: options.identity }),
    env: io.env,
    cwd: io.cwd,
  });
}

/**
 * Who an age export is sealed to: `--recipient`, else `PROVISION_AGE_RECIPIENTS`, else the
 * reader's own identities (or passphrase). Never the recipients the file names: anyone who
 * can write the file could have put theirs there.
 */
async function exportKeys(
  flagRecipients: string[],
  keys: ReadingKeys,
  io: CliIo,
): Promise<WritingKeys> {
  if (flagRecipients.length > 0) return { recipients: normalizeRecipients(flagRecipients) };
  const fromEnv = recipientsFromEnv(io.env);
  if (fromEnv.length > 0) {
    return {
      recipients: normalizeRecipients(checkRecipients(fromEnv, 'PROVISION_AGE_RECIPIENTS')),
    };
  }
  if ('passphrase' in keys) return { passphrase: keys.passphrase };
  const own = await Promise.all(keys.identities.map((identity) => identityToRecipient(identity)));
  return { recipients: normalizeRecipients(own) };
}

function warnUnresolved(index: SecretsIndex, io: CliIo): void {
  const open = index.unresolvedIntents;
  if (open.length === 0) return;
  const names = [...new Set(open.map((intent) => intent.name))].join(', ');
  writeLine(
    io.stderr,
    `warning: ${count(open.length, 'create')} never sealed (interrupted or outcome unknown): ${names}; the next apply reconciles them`,
  );
}

function warnIfTerminal(io: CliIo): void {
  if (isTerminal(io)) writeLine(io.stderr, 'warning: printing token strings to the terminal');
}

function isTerminal(io: CliIo): boolean {
  return (io.stdout as { isTTY?: boolean }).isTTY === true;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

async function write(io: CliIo, data: Uint8Array | string): Promise<void> {
  await new Promise<void>((done, fail) => {
    io.stdout.write(typeof data === 'string' ? data : Buffer.from(data), (error) => {
      if (error) fail(error);
      else done();
    });
  });
}
