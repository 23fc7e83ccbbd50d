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
 * (one per apply and file) makes a new key and appends its line, fsync'd before its first
 * intent (so never for an apply that only renames or revokes); the writer keeps the key's
 * public half in memory and never reads it back. With a
 * passphrase, the file's key line (line 2, written with the header) is reused: decrypting
 * it is the one scrypt of the writer, and only someone who knows the passphrase can have
 * made it, so readers too pay one scrypt, not one per apply. Records are cheap either way.
 *
 * Then one line per event, plaintext metadata only (names, ids and times are not secret):
 *   {"type":"intent","intent":"<uuid>","name","team","at"}      before a create is sent
 *   {"type":"sealed","intent","name","team","tokenId","createdAt","expiresAt"?,"sealedAt",
 *    "key":"<key id>","data":"<base64 age file to that key: the SecretRecord JSON>"}
 *   {"type":"abandoned","intent","name","at"}                  the create definitively failed
 *   {"type":"renamed","tokenId","from","to","at"}              the token now carries `to`
 *   {"type":"revoked","tokenId","name","at"}                   the token was revoked
 * An intent with neither a sealed nor an abandoned line, and no later sealed line of its
 * name, is a create whose outcome is unknown. Renamed and revoked lines say which string is
 * current: `list` and `export` show each token under its name now, the last sealed
 * unrevoked token of a name as current, the others as superseded or revoked.
 * The token string, description and permissions exist only inside `data`, which also binds
 * the plaintext name, team, token id and times: a reader trusts a record only if they match.
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
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { SecretsError } from '../errors.js';
import { appendLines } from './append-lines.js';
import { checkSecretsFileSafe } from './check-secrets-file-safe.js';
import { checkWritingKeys } from './check-writing-keys.js';
import { describeSystemError } from '../files/index.js';
import { createSecretsFile } from './create-secrets-file.js';
import { createFileKey, type FileKey, type NewFileKey } from './file-key.js';
import { groupCommit, type GroupCommit } from './group-commit.js';
import { checkRecipients, normalizeRecipients } from './keys-for-writing.js';
import { makeSecretsWriter } from './make-secrets-writer.js';
import { announceWriter, type Release } from './writer-presence.js';
import { openExistingFile, type OpenedSecretsFile } from './open-existing-file.js';
import { openPassphraseKey } from './open-passphrase-key.js';
import type { KeyLine } from './parse-secrets-file.js';
import type { SecretsFileOptions, SecretsWriter, WritingKeys } from './types.js';

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
    throw new SecretsError(`cannot create the folder of ${label}: ${describeSystemError(error)}`);
  }
  // A reseal never renames the file from under this writer (see writer-presence.ts).
  const release = await announceWriter(path, label);
  try {
    return await openAnnounced(path, wanted, label, release);
  } catch (error) {
    await release();
    throw error;
  }
}

async function openAnnounced(
  path: string,
  wanted: WritingKeys,
  label: string,
  release: Release,
): Promise<SecretsWriter> {
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
  const lines = groupCommit(handle, label);
  let key: () => Promise<FileKey>;
  try {
    if (created && fresh !== null) {
      const made = fresh; // its key line went in with the header
      key = () => Promise.resolve(made);
    } else {
      checkWritingKeys(opened.header, wanted, label);
      if (!opened.endsWithNewline) await appendLines(handle, ['']); // isolate a torn last line
      key = await keyForExistingFile(opened, wanted, fresh, lines, label);
    }
  } catch (error) {
    await handle.close();
    throw error instanceof SecretsError ? error : writeError(label, error);
  }
  return makeSecretsWriter(path, label, handle, lines, key, release);
}

/**
 * How a writer gets its key in a file that was already there. With a passphrase, the
 * file's own key, opened now (a wrong passphrase fails the open, before any create); only a
 * holder of the passphrase can have written it. With recipients, a new key whose line is
 * appended, fsync'd, before the first intent: an apply that only records renames or revokes
 * adds no key line.
 */
async function keyForExistingFile(
  opened: OpenedSecretsFile,
  keys: WritingKeys,
  fresh: NewFileKey | null,
  lines: GroupCommit,
  label: string,
): Promise<() => Promise<FileKey>> {
  if ('passphrase' in keys) {
    const key = await openPassphraseKey(opened, keys.passphrase, label);
    return () => Promise.resolve(key);
  }
  let pending: Promise<FileKey> | null = null;
  return () =>
    (pending ??= (async () => {
      const made = fresh ?? (await createFileKey(keys, now()));
      await lines.append(JSON.stringify(made.line satisfies KeyLine));
      return made;
    })());
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
  return new SecretsError(`cannot write ${label}: ${describeSystemError(error)}`, { cause: error });
}

function now(): string {
  return new Date().toISOString();
}
