import { SecretsError } from '../errors.js';
import type { SecretsIndexEntry } from './types.js';

/** The `format` value of line 1; anything else is not ours. */
export const SECRETS_FORMAT = 'provision-secrets';
/** The version this code writes. It reads this one and `SECRETS_VERSION_1`. */
export const SECRETS_VERSION = 2;
/** The first format: one file key, in the header, chosen by whoever wrote the header. */
export const SECRETS_VERSION_1 = 1;

/**
 * How much of a file's start a writer reads for its header (and, in a passphrase file, the
 * key line after it): far above a real header (~10 KiB with 100 recipients), so a hostile
 * first line costs at most this.
 */
export const SECRETS_HEADER_MAX_BYTES = 1024 * 1024;

/** The id that records without a `key` field (version 1) are sealed under: the header's key. */
export const HEADER_KEY_ID = '';

/** Line 1 of a secrets file. See `open-secrets-writer.ts` for the whole format. */
export interface SecretsHeader {
  format: typeof SECRETS_FORMAT;
  version: typeof SECRETS_VERSION | typeof SECRETS_VERSION_1;
  /**
   * Who the file was created for (sorted, unique; empty with a passphrase). A claim only:
   * a writer refuses other keys than these (a consistency check) but never encrypts to them.
   */
  passphrase: boolean;
  recipients: string[];
  /** Version 1 only: the one file key, as a key line with id `HEADER_KEY_ID`. */
  legacyKey: KeyLine | null;
}

/**
 * A file key: a fresh X25519 identity made by one writer, encrypted (`fileKey`, base64 of
 * an age file) to the recipients or passphrase that writer was given by trusted inputs.
 * Records name the key they are sealed to. `recipients` is what the writer said it used:
 * plaintext, for people; nothing trusts it.
 */
export interface KeyLine {
  type: 'key';
  key: string;
  passphrase: boolean;
  recipients: string[];
  /** The public half of the identity inside `fileKey`; readers check that they match. */
  fileRecipient: string;
  fileKey: string;
  at: string;
}

export interface IntentLine {
  type: 'intent';
  intent: string;
  name: string;
  team: string | null;
  at: string;
}

/** A sealed record: its plaintext index entry, and the encrypted record itself. */
export interface SealedLine extends SecretsIndexEntry {
  type: 'sealed';
  intent: string;
  /** The key line it is sealed to; absent in version 1 records (the header's key). */
  key?: string;
  /** base64 of an age file, to that key's `fileRecipient`: the SecretRecord JSON. */
  data: string;
}

export interface AbandonedLine {
  type: 'abandoned';
  intent: string;
  name: string;
  at: string;
}

/** A sealed token was renamed (`previousNames`): list and export show it as `to`. */
export interface RenamedLine {
  type: 'renamed';
  tokenId: string;
  from: string;
  to: string;
  at: string;
}

/** A sealed token was revoked: its string no longer works. */
export interface RevokedLine {
  type: 'revoked';
  tokenId: string;
  name: string;
  at: string;
}

/**
 * A delivery of a sealed token to a target of `outputs.deliver` was tried: its outcome and
 * the command's exit status, never the string nor the command's output. The last line for
 * a token and target says whether `secrets deliver` still has to deliver it.
 */
export interface DeliveredLine {
  type: 'delivered';
  tokenId: string;
  target: string;
  outcome: 'ok' | 'failed';
  status: string;
  at: string;
}

export type RecordLine =
  IntentLine | SealedLine | AbandonedLine | RenamedLine | RevokedLine | DeliveredLine;

// A delivered line is read from a file no one reviews: its fields are bounded and shaped.
const TARGET_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_DELIVERED_FIELD = 256;

/** A secrets file as read: its header, its key lines and every complete record, in order. */
export interface ParsedSecretsFile {
  header: SecretsHeader;
  keys: KeyLine[];
  records: RecordLine[];
}

// Every line after the header starts with this (JSON.stringify escapes quotes inside
// strings, so it cannot occur within a line). It lets a reader recover a line that a
// concurrent writer appended right after another writer's torn, unterminated line.
const LINE_START = '{"type":"';

/**
 * Parses a secrets file's text. Torn or foreign lines are skipped: only complete JSON
 * lines count, so a `kill -9` mid-append never hides an earlier (or later) line.
 */
export function parseSecretsFile(text: string, label: string): ParsedSecretsFile {
  const newline = text.indexOf('\n');
  const header = parseHeader(newline === -1 ? text : text.slice(0, newline), label);
  const parsed: ParsedSecretsFile = { header, keys: [], records: [] };
  if (newline === -1) return parsed;
  const add = (line: KeyLine | RecordLine) => {
    if (line.type === 'key') parsed.keys.push(line);
    else parsed.records.push(line);
  };
  for (const line of text.slice(newline + 1).split('\n')) {
    if (line === '') continue;
    const whole = parseLine(line);
    if (whole !== null) {
      add(whole);
      continue;
    }
    for (const piece of line.split(LINE_START).slice(1)) {
      const salvaged = parseLine(LINE_START + piece);
      if (salvaged !== null) add(salvaged);
    }
  }
  return parsed;
}

/**
 * Parses and checks line 1, or throws the SecretsError that says this is not our file
 * (with `hint`, e.g. what a writer does about it).
 */
export function parseHeader(line: string, label: string, hint?: string): SecretsHeader {
  const value = tryJson(line);
  if (!isObject(value) || value.format !== SECRETS_FORMAT) {
    throw new SecretsError(`${label} is not a provision secrets file`, hint ? { hint } : {});
  }
  const { version, passphrase, recipients } = value;
  if (version !== SECRETS_VERSION && version !== SECRETS_VERSION_1) {
    throw new SecretsError(
      `${label} is a provision secrets file of version ${String(version)}; this provision reads versions ${SECRETS_VERSION_1} and ${SECRETS_VERSION}`,
      { hint: 'use the provision release that wrote it, or a newer one' },
    );
  }
  const damaged = new SecretsError(`${label}: the secrets file's header is damaged`);
  if (typeof passphrase !== 'boolean' || !isStringArray(recipients)) throw damaged;
  let legacyKey: KeyLine | null = null;
  if (version === SECRETS_VERSION_1) {
    const { fileRecipient, fileKey } = value;
    if (typeof fileRecipient !== 'string' || typeof fileKey !== 'string') throw damaged;
    legacyKey = {
      type: 'key',
      key: HEADER_KEY_ID,
      passphrase,
      recipients,
      fileRecipient,
      fileKey,
      at: '',
    };
  }
  return { format: SECRETS_FORMAT, version, passphrase, recipients, legacyKey };
}

/** Parses one line after the header, or `null` for a torn, foreign or malformed one. */
export function parseLine(line: string): KeyLine | RecordLine | null {
  const v = tryJson(line);
  if (!isObject(v)) return null;
  if (v.type === 'key') {
    const ok =
      ['key', 'fileRecipient', 'fileKey', 'at'].every((k) => typeof v[k] === 'string') &&
      typeof v.passphrase === 'boolean' &&
      isStringArray(v.recipients);
    return ok ? (v as unknown as KeyLine) : null;
  }
  if (v.type === 'renamed') {
    const ok = ['tokenId', 'from', 'to', 'at'].every((k) => typeof v[k] === 'string');
    return ok ? (v as unknown as RenamedLine) : null;
  }
  if (v.type === 'delivered') {
    const ok =
      ['tokenId', 'status', 'at'].every(
        (k) => typeof v[k] === 'string' && v[k].length <= MAX_DELIVERED_FIELD,
      ) &&
      typeof v.target === 'string' &&
      TARGET_NAME.test(v.target) &&
      (v.outcome === 'ok' || v.outcome === 'failed');
    return ok ? (v as unknown as DeliveredLine) : null;
  }
  if (v.type === 'revoked') {
    const ok = ['tokenId', 'name', 'at'].every((k) => typeof v[k] === 'string');
    return ok ? (v as unknown as RevokedLine) : null;
  }
  if (typeof v.intent !== 'string' || typeof v.name !== 'string') return null;
  const team = v.team === null || typeof v.team === 'string';
  if (v.type === 'intent' && team && typeof v.at === 'string') return v as unknown as IntentLine;
  if (v.type === 'abandoned' && typeof v.at === 'string') return v as unknown as AbandonedLine;
  if (
    v.type === 'sealed' &&
    team &&
    ['tokenId', 'createdAt', 'sealedAt', 'data'].every((k) => typeof v[k] === 'string') &&
    (v.expiresAt === undefined || typeof v.expiresAt === 'string') &&
    (v.key === undefined || typeof v.key === 'string')
  ) {
    return v as unknown as SealedLine;
  }
  return null;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
