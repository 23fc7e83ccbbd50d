import type { Permission } from '../api/types.js';

/** Everything sealed for one created token. Only readers holding an identity see it. */
export interface SecretRecord {
  /** The token's manifest name. */
  name: string;
  team: string | null;
  tokenId: string;
  description: string;
  permissions: Permission[];
  /** RFC 3339, as the API returned it. */
  createdAt: string;
  /** RFC 3339; absent when the token never expires. */
  expiresAt?: string;
  /** The token string, shown by the API once. */
  accessToken: string;
  /** RFC 3339: when the record reached the disk. */
  sealedAt: string;
}

/** What `seal()` accepts: a record; the writer stamps `sealedAt` when it is not given. */
export type SealInput = Omit<SecretRecord, 'sealedAt'> & { sealedAt?: string };

/** Who can open a file being written: age recipients (`age1…`) or one passphrase. */
export type WritingKeys = { recipients: string[] } | { passphrase: string };

/** What opens a file for reading: age identities (`AGE-SECRET-KEY-1…`) or the passphrase. */
export type ReadingKeys = { identities: string[] } | { passphrase: string };

/** Options shared by the functions that touch a secrets file. */
export interface SecretsFileOptions {
  /** How to name the file in messages (e.g. the path as the user typed it). */
  label?: string;
}

/** Appends records to one secrets file; every call is durable before it resolves. */
export interface SecretsWriter {
  readonly path: string;
  /** Records that a create is about to be sent; returns the intent id for `seal`/`abandon`. */
  beginCreate(name: string, team: string | null): Promise<string>;
  /** Seals a created token's record (encrypted) to disk, fsync'd, before resolving. */
  seal(intentId: string, record: SealInput): Promise<void>;
  /** Records that the create of this intent definitively failed (no token exists). */
  abandon(intentId: string): Promise<void>;
  /** Waits for pending writes and closes the file. */
  close(): Promise<void>;
}

/** The plaintext part of a sealed record: what anyone can list without an identity. */
export interface SecretsIndexEntry {
  name: string;
  team: string | null;
  tokenId: string;
  createdAt: string;
  expiresAt?: string;
  sealedAt: string;
}

/** What a secrets file holds, read without any identity. */
export interface SecretsIndex {
  /** Token ids whose strings are sealed in the file. */
  sealedTokenIds: Set<string>;
  /** Creates that began but were neither sealed nor abandoned (a crash, or a lost response). */
  unresolvedIntents: { name: string; at: string }[];
  /** One per sealed token id, in file order. */
  entries: SecretsIndexEntry[];
  /** Who can open the file; `null` when the file does not exist. */
  header: { recipients: string[]; passphrase: boolean } | null;
}
