import { SecretsError } from '../errors.js';
import type { SecretsIndexEntry } from './types.js';

/** The `format` value of line 1; anything else is not ours. */
export const SECRETS_FORMAT = 'provision-secrets';
/** The only version this code writes and reads. */
export const SECRETS_VERSION = 1;

/** Line 1 of a secrets file. See `open-secrets-writer.ts` for the whole format. */
export interface SecretsHeader {
  format: typeof SECRETS_FORMAT;
  version: typeof SECRETS_VERSION;
  passphrase: boolean;
  /** Sorted, unique; empty in passphrase mode. */
  recipients: string[];
  /** The file's own X25519 recipient: every record is encrypted to it. */
  fileRecipient: string;
  /** base64 of an age file (to `recipients` or the passphrase) holding the file identity. */
  fileKey: string;
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
  /** base64 of an age file, to `fileRecipient`, whose plaintext is the SecretRecord JSON. */
  data: string;
}

export interface AbandonedLine {
  type: 'abandoned';
  intent: string;
  name: string;
  at: string;
}

export type RecordLine = IntentLine | SealedLine | AbandonedLine;

/** A secrets file as read: its header and every complete record, in file order. */
export interface ParsedSecretsFile {
  header: SecretsHeader;
  records: RecordLine[];
}

// Every record line starts with this (JSON.stringify escapes quotes inside strings, so it
// cannot occur within a record). It lets a reader recover a record that a concurrent writer
// appended right after another writer's torn, unterminated line.
const RECORD_START = '{"type":"';

/**
 * Parses a secrets file's text. Torn or foreign lines are skipped: only complete JSON
 * records count, so a `kill -9` mid-append never hides an earlier (or later) record.
 */
export function parseSecretsFile(text: string, label: string): ParsedSecretsFile {
  const newline = text.indexOf('\n');
  const header = parseHeader(newline === -1 ? text : text.slice(0, newline), label);
  const records: RecordLine[] = [];
  if (newline === -1) return { header, records };
  for (const line of text.slice(newline + 1).split('\n')) {
    if (line === '') continue;
    const whole = parseRecord(line);
    if (whole !== null) {
      records.push(whole);
      continue;
    }
    for (const piece of line.split(RECORD_START).slice(1)) {
      const salvaged = parseRecord(RECORD_START + piece);
      if (salvaged !== null) records.push(salvaged);
    }
  }
  return { header, records };
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
  if (value.version !== SECRETS_VERSION) {
    throw new SecretsError(
      `${label} is a provision secrets file of version ${String(value.version)}; this provision reads version ${SECRETS_VERSION}`,
      { hint: 'use the provision release that wrote it' },
    );
  }
  const { passphrase, recipients, fileRecipient, fileKey } = value;
  if (
    typeof passphrase !== 'boolean' ||
    !Array.isArray(recipients) ||
    !recipients.every((r) => typeof r === 'string') ||
    typeof fileRecipient !== 'string' ||
    typeof fileKey !== 'string'
  ) {
    throw new SecretsError(`${label}: the secrets file's header is damaged`);
  }
  return {
    format: SECRETS_FORMAT,
    version: SECRETS_VERSION,
    passphrase,
    recipients,
    fileRecipient,
    fileKey,
  };
}

function parseRecord(line: string): RecordLine | null {
  const v = tryJson(line);
  if (!isObject(v) || typeof v.intent !== 'string' || typeof v.name !== 'string') return null;
  const team = v.team === null || typeof v.team === 'string';
  if (v.type === 'intent' && team && typeof v.at === 'string') return v as unknown as IntentLine;
  if (v.type === 'abandoned' && typeof v.at === 'string') return v as unknown as AbandonedLine;
  if (
    v.type === 'sealed' &&
    team &&
    ['tokenId', 'createdAt', 'sealedAt', 'data'].every((k) => typeof v[k] === 'string') &&
    (v.expiresAt === undefined || typeof v.expiresAt === 'string')
  ) {
    return v as unknown as SealedLine;
  }
  return null;
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
