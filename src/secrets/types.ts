import type { Permission } from '../model/index.js';

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
  /** Records that a token was renamed (its marker now says `to`); durable on resolve. */
  recordRenamed(tokenId: string, from: string, to: string): Promise<void>;
  /** Records that a token was revoked; durable on resolve. */
  recordRevoked(tokenId: string, name: string): Promise<void>;
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

/** Where a sealed token stands now, from the `sealed`, `renamed` and `revoked` lines. */
export interface TokenStanding {
  /** Its name now: as sealed, or the `to` of the last `renamed` line about it. */
  name: string;
  /**
   * `current`: the last sealed, unrevoked token of its name, the one to use;
   * `superseded`: a later sealed token carries its name (e.g. a rotation's old token, live
   * until its overlap ends); `revoked`: a `revoked` line names it.
   */
  status: 'current' | 'superseded' | 'revoked';
  revokedAt?: string;
}

/** A sealed token as `secrets list` shows it: under its current name, with its standing. */
export interface IndexedSecret extends SecretsIndexEntry, TokenStanding {
  /** The name it was sealed under, when a rename changed it. */
  sealedName?: string;
}

/** What a secrets file holds, read without any identity. */
export interface SecretsIndex {
  /** Token ids whose strings are sealed in the file. */
  sealedTokenIds: Set<string>;
  /**
   * Creates whose outcome the file does not tell: an `intent` line with no `sealed` or
   * `abandoned` line of its own and no LATER `sealed` line of the same name (a retried
   * create that was sealed resolves the earlier attempts of that name). The planner reads
   * these to find strings that were lost: a live token of that name created after the
   * intent and sealed nowhere.
   */
  unresolvedIntents: { name: string; at: string }[];
  /** One per sealed token id, in file order, under its current name. */
  entries: IndexedSecret[];
  /**
   * Who the file says it was created for (a plaintext claim: never a key to seal to);
   * `null` when the file does not exist.
   */
  header: { version: number; recipients: string[]; passphrase: boolean } | null;
}

/** A sealed record that a reader did not trust or could not open. Never holds a secret. */
export interface SkippedRecord {
  name: string;
  team: string | null;
  tokenId: string;
  /**
   * `no-key`: sealed to a key line these keys cannot open; `key-tampered`: its key line
   * decrypts to an identity other than its `fileRecipient`; `damaged`: does not decrypt or
   * is not a record; `tampered`: its payload names another token than its plaintext line.
   */
  reason: 'no-key' | 'key-tampered' | 'damaged' | 'tampered';
  /** One line for people: the file, the record's name and token id, and why. */
  message: string;
}

/**
 * A decrypted record as `decrypt` and `export` hand it out: under its current name, with its
 * standing (see `TokenStanding`) and, when a rename changed it, the name it was sealed under.
 */
export interface ExportedRecord extends SecretRecord {
  status: TokenStanding['status'];
  revokedAt?: string;
  sealedName?: string;
}

/** What `decryptSecrets` opened and what it had to skip. */
export interface DecryptedSecrets {
  /** Trusted records as sealed (names as sealed), one per token id, in file order. */
  records: SecretRecord[];
  /** Token id → current name and standing, judged among the trusted records only. */
  standing: Map<string, TokenStanding>;
  skipped: SkippedRecord[];
}
