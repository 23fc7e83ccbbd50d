/**
 * The secrets file: append-only JSON lines, one durable write per event.
 *
 * Line 1, the header (version 2):
 *   {"format":"provision-secrets","version":2,"passphrase":false,"recipients":["age1…"]}
 * `passphrase`/`recipients` say who the file was created for. They are a claim, used only
 * to refuse appending with other keys (`checkWritingKeys`); no key is ever taken from it.
 *
 * Key lines: each writer seals to a file key of its own, never to one read from the file.
 *   {"type":"key","key":"<uuid>","passphrase":false,"recipients":["age1…"],
 *    "fileRecipient":"age1…","fileKey":"<base64 age file>","at":"…"}
 * `fileKey` is a standard age file, encrypted to the recipients this writer was given by
 * the manifest, `--recipient` or `PROVISION_AGE_RECIPIENTS` (or to `PROVISION_PASSPHRASE`,
 * scrypt), whose plaintext is a fresh X25519 age identity; `fileRecipient` is its public
 * half, so readers can check the two belong together. With recipients, every writer open
 * (one per apply and file) makes a new key and appends its line, fsync'd before any record
 * uses it; the writer keeps the key's public half in memory and never reads it back. With a
 * passphrase, the file's key line (line 2, written with the header) is reused: decrypting
 * it is the one scrypt of the writer, and only someone who knows the passphrase can have
 * made it, so readers too pay one scrypt, not one per apply. Records are cheap either way.
 *
 * Then one line per event, plaintext metadata only (names, ids and times are not secret):
 *   {"type":"intent","intent":"<uuid>","name","team","at"}      before a create is sent
 *   {"type":"sealed","intent","name","team","tokenId","createdAt","expiresAt"?,"sealedAt",
 *    "key":"<key id>","data":"<base64 age file to that key: the SecretRecord JSON>"}
 *   {"type":"abandoned","intent","name","at"}                  the create definitively failed
 * An intent with neither a sealed nor an abandoned line is a create whose outcome is unknown.
 * The token string, description and permissions exist only inside `data`.
 *
 * Version 1 files (written before key lines) have the one file key in the header:
 *   {"format":"provision-secrets","version":1,"passphrase":…,"recipients":[…],
 *    "fileRecipient":"age1…","fileKey":"<base64 age file>"}
 * and sealed lines without `key`. They stay readable, and a writer appends to them as to
 * version 2: a new key line with recipients; the header's key (verified) with a passphrase,
 * whose records, without `key`, the version that wrote the file can still read.
 *
 * Durability and concurrency: the file is created 0600 with its header and first key line
 * in one atomic step (see `createSecretsFile`), then opened `O_APPEND | O_NOFOLLOW`; every
 * line is written whole within one `write()` and fsync'd before its call resolves (lines
 * pending at the same moment share one write and one fsync: `groupCommit`), so several
 * processes may append at once and a `kill -9` can at worst leave the last line torn. Readers
 * skip incomplete lines (and recover a line glued to a torn one); the next writer terminates
 * a torn tail first. A file (or folder) that other users could write is refused
 * (`checkSecretsFileSafe`), before the apply starts and again on the opened descriptor.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Encrypter } from 'age-encryption';
import { InternalError, SecretsError } from '../errors.js';
import { appendLines } from './append-lines.js';
import { checkSecretsFileSafe } from './check-secrets-file-safe.js';
import { checkWritingKeys } from './check-writing-keys.js';
import { createSecretsFile, describe } from './create-secrets-file.js';
import { createFileKey, type FileKey, type NewFileKey } from './file-key.js';
import { groupCommit } from './group-commit.js';
import { checkRecipients, normalizeRecipients } from './keys-for-writing.js';
import { NativeX25519Recipient } from './native-x25519.js';
import { openExistingFile, type OpenedSecretsFile } from './open-existing-file.js';
import { openPassphraseKey } from './open-passphrase-key.js';
import { sealSmallAge } from './seal-small-age.js';
import {
  HEADER_KEY_ID,
  type KeyLine,
  type RecordLine,
  type SealedLine,
} from './parse-secrets-file.js';
import type { SecretRecord, SecretsFileOptions, SecretsWriter, WritingKeys } from './types.js';

/** Opens (creating it and its folders if needed) a secrets file for appending sealed tokens. */
export async function openSecretsWriter(
  path: string,
  keys: WritingKeys,
  options: SecretsFileOptions = {},
): Promise<SecretsWriter> {
  const label = options.label ?? path;
  const wanted = normalizeKeys(keys);
  checkSecretsFileSafe(path, label);
  try {
    await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new SecretsError(`cannot create the folder of ${label}: ${describe(error)}`);
  }
  let fresh: NewFileKey | null = null;
  let created = false;
  let opened = await openExistingFile(path, label);
  if (opened === null) {
    fresh = await createFileKey(wanted, now());
    created = await createSecretsFile(path, wanted, fresh.line, label);
    opened = await openExistingFile(path, label);
    if (opened === null) throw new SecretsError(`${label} vanished while it was being created`);
  }
  const { handle } = opened;
  let key: FileKey;
  try {
    if (created && fresh !== null) {
      key = fresh; // the key line went in with the header
    } else {
      checkWritingKeys(opened.header, wanted, label);
      key = await keyForExistingFile(opened, wanted, fresh, label);
    }
  } catch (error) {
    await handle.close();
    throw error instanceof SecretsError ? error : writeError(label, error);
  }
  return makeWriter(path, label, handle, key);
}

/**
 * The key to seal to in a file that was already there. With recipients, a new key whose
 * line is appended (and fsync'd) before any record; with a passphrase, the file's own key,
 * which only a holder of the passphrase can have written.
 */
async function keyForExistingFile(
  opened: OpenedSecretsFile,
  keys: WritingKeys,
  fresh: NewFileKey | null,
  label: string,
): Promise<FileKey> {
  const lines: string[] = opened.endsWithNewline ? [] : ['']; // isolate a torn last line
  let key: FileKey;
  if ('passphrase' in keys) {
    key = await openPassphraseKey(opened, keys.passphrase, label);
  } else {
    const made = fresh ?? (await createFileKey(keys, now()));
    lines.push(JSON.stringify(made.line satisfies KeyLine));
    key = made;
  }
  try {
    if (lines.length > 0) await appendLines(opened.handle, lines);
  } catch (error) {
    throw writeError(label, error);
  }
  return key;
}

function makeWriter(path: string, label: string, handle: FileHandle, key: FileKey): SecretsWriter {
  const recipient = new NativeX25519Recipient(key.recipient);
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  const intents = new Map<string, { name: string; team: string | null }>();
  const lines = groupCommit(handle, label);
  let closed = false;

  const append = (line: RecordLine): Promise<void> => {
    if (closed) return Promise.reject(new InternalError(`secrets writer for ${label} is closed`));
    return lines.append(JSON.stringify(line));
  };
  // Each intent resolves once: sealing or abandoning it twice is a bug in the caller. A seal
  // for the wrong name is a bug too, and leaves the intent open so it can still be abandoned.
  const resolve = (intentId: string, name?: string) => {
    const intent = intents.get(intentId);
    if (intent === undefined) throw new InternalError(`unknown or resolved intent ${intentId}`);
    if (name !== undefined && name !== intent.name) {
      throw new InternalError(`intent ${intentId} is not for ${name}`);
    }
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
      const { name, team } = resolve(intentId, input.name);
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
      const line: SealedLine = {
        type: 'sealed',
        intent: intentId,
        name,
        team,
        tokenId: record.tokenId,
        createdAt: record.createdAt,
        ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }),
        sealedAt: record.sealedAt,
        // Version 1's header key has no id: its records stay readable by that version.
        ...(key.id === HEADER_KEY_ID ? {} : { key: key.id }),
        data: sealed.toString('base64'),
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

function writeError(label: string, error: unknown): SecretsError {
  return new SecretsError(`cannot write ${label}: ${describe(error)}`, { cause: error });
}

function now(): string {
  return new Date().toISOString();
}
