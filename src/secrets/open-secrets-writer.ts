/**
 * The secrets file: append-only JSON lines, one durable write per event.
 *
 * Line 1, the header:
 *   {"format":"provision-secrets","version":1,"passphrase":false,"recipients":["age1…"],
 *    "fileRecipient":"age1…","fileKey":"<base64 age file>"}
 * `fileKey` is a standard age file, encrypted to `recipients` (or, with `"passphrase":true`
 * and no recipients, to the passphrase via scrypt), whose plaintext is a fresh X25519 age
 * identity made for this file; `fileRecipient` is its public half. Writers encrypt every
 * record to `fileRecipient` (cheap), so they never need the user's identity, and scrypt runs
 * once per file (creating it or opening it), never per token. A file's recipients never
 * change: opening it with other keys is refused.
 *
 * Then one line per event, plaintext metadata only (names, ids and times are not secret):
 *   {"type":"intent","intent":"<uuid>","name","team","at"}      before a create is sent
 *   {"type":"sealed","intent","name","team","tokenId","createdAt","expiresAt"?,"sealedAt",
 *    "data":"<base64 age file to fileRecipient: the SecretRecord JSON>"}
 *   {"type":"abandoned","intent","name","at"}                  the create definitively failed
 * An intent with neither a sealed nor an abandoned line is a create whose outcome is unknown.
 * The token string, description and permissions exist only inside `data`.
 *
 * Durability and concurrency: the file is created 0600 with its header in one atomic step
 * (see `createSecretsFile`), then opened `O_APPEND | O_NOFOLLOW`; every line is written whole
 * within one `write()` and fsync'd before its call resolves (lines pending at the same moment
 * share one write and one fsync: `groupCommit`), so several processes may append at once and
 * a `kill -9` can at worst leave the last line torn. Readers skip incomplete lines (and
 * recover a record glued to a torn one); the next writer terminates a torn tail first.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Encrypter } from 'age-encryption';
import { InternalError, SecretsError } from '../errors.js';
import { appendLines } from './append-lines.js';
import { checkWritingKeys } from './check-writing-keys.js';
import { createSecretsFile, describe } from './create-secrets-file.js';
import type { NewFileKey } from './file-key.js';
import { groupCommit } from './group-commit.js';
import { checkRecipients, normalizeRecipients } from './keys-for-writing.js';
import { NativeX25519Recipient } from './native-x25519.js';
import { openExistingFile } from './open-existing-file.js';
import { sealSmallAge } from './seal-small-age.js';
import type { RecordLine, SealedLine, SecretsHeader } from './parse-secrets-file.js';
import type { SecretRecord, SecretsFileOptions, SecretsWriter, WritingKeys } from './types.js';

/** Opens (creating it and its folders if needed) a secrets file for appending sealed tokens. */
export async function openSecretsWriter(
  path: string,
  keys: WritingKeys,
  options: SecretsFileOptions = {},
): Promise<SecretsWriter> {
  const label = options.label ?? path;
  const wanted = normalizeKeys(keys);
  try {
    await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new SecretsError(`cannot create the folder of ${label}: ${describe(error)}`);
  }
  let created: NewFileKey | null = null;
  let opened = await openExistingFile(path, label);
  if (opened === null) {
    created = await createSecretsFile(path, wanted, label);
    opened = await openExistingFile(path, label);
    if (opened === null) throw new SecretsError(`${label} vanished while it was being created`);
  }
  const { handle, header } = opened;
  let recipient: NativeX25519Recipient;
  try {
    // A file this call just created needs no check (and, with a passphrase, no second scrypt).
    if (created?.fileRecipient !== header.fileRecipient) {
      await checkWritingKeys(header, wanted, label);
    }
    recipient = fileRecipientOf(header, label);
    if (!opened.endsWithNewline) await appendLines(handle, ['']); // isolate a torn last line
  } catch (error) {
    await handle.close();
    throw error instanceof SecretsError ? error : writeError(label, error);
  }
  return makeWriter(path, label, handle, recipient);
}

function makeWriter(
  path: string,
  label: string,
  handle: FileHandle,
  recipient: NativeX25519Recipient,
): SecretsWriter {
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  const intents = new Map<string, { name: string; team: string | null }>();
  const lines = groupCommit(handle, label);
  let closed = false;

  const append = (line: RecordLine): Promise<void> => {
    if (closed) return Promise.reject(new InternalError(`secrets writer for ${label} is closed`));
    return lines.append(JSON.stringify(line));
  };
  // Each intent resolves once: sealing or abandoning it twice is a bug in the caller.
  const resolve = (intentId: string) => {
    const intent = intents.get(intentId);
    if (intent === undefined) throw new InternalError(`unknown or resolved intent ${intentId}`);
    intents.delete(intentId);
    return intent;
  };

  return {
    path,
    async beginCreate(name, team) {
      const intent = randomUUID();
      await append({ type: 'intent', intent, name, team, at: now() });
      intents.set(intent, { name, team });
      return intent;
    },
    async seal(intentId, input) {
      const { name, team } = resolve(intentId);
      if (input.name !== name) {
        throw new InternalError(`intent ${intentId} is not for ${input.name}`);
      }
      const record: SecretRecord = {
        name,
        team,
        tokenId: input.tokenId,
        description: input.description,
        permissions: input.permissions,
        createdAt: input.createdAt,
        ...(input.expiresAt === undefined ? {} : { expiresAt: input.expiresAt }),
        accessToken: input.accessToken,
        sealedAt: input.sealedAt ?? now(),
      };
      const plaintext = Buffer.from(JSON.stringify(record));
      const sealed =
        sealSmallAge(recipient, plaintext) ?? Buffer.from(await encrypter.encrypt(plaintext));
      const data = sealed.toString('base64');
      const line: SealedLine = {
        type: 'sealed',
        intent: intentId,
        name,
        team,
        tokenId: record.tokenId,
        createdAt: record.createdAt,
        ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
        sealedAt: record.sealedAt,
        data,
      };
      await append(line);
    },
    async abandon(intentId) {
      const { name } = resolve(intentId);
      await append({ type: 'abandoned', intent: intentId, name, at: now() });
    },
    async close() {
      if (closed) return;
      closed = true;
      await lines.drain();
      await handle.close();
    },
  };
}

function normalizeKeys(keys: WritingKeys): WritingKeys {
  if ('passphrase' in keys) {
    if (keys.passphrase === '') throw new SecretsError('the passphrase is empty');
    return { passphrase: keys.passphrase };
  }
  const recipients = normalizeRecipients(checkRecipients(keys.recipients, 'the recipients'));
  if (recipients.length === 0) throw new SecretsError('no recipients for the secrets file');
  return { recipients };
}

function fileRecipientOf(header: SecretsHeader, label: string): NativeX25519Recipient {
  try {
    return new NativeX25519Recipient(header.fileRecipient);
  } catch (error) {
    throw new SecretsError(`${label}: the secrets file's header is damaged`, { cause: error });
  }
}

function writeError(label: string, error: unknown): SecretsError {
  return new SecretsError(`cannot write ${label}: ${describe(error)}`, { cause: error });
}

function now(): string {
  return new Date().toISOString();
}
