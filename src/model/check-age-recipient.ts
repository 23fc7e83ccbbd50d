import { bech32 } from '@scure/base';

/** Why a text is not a recipient provision seals to. */
export type AgeRecipientProblem =
  /** An `AGE-SECRET-KEY-…` pasted where its public half belongs. */
  | 'identity'
  /** Does not start with `age1`: not an age recipient at all. */
  | 'not-age'
  /** `age1…`, but not X25519: post-quantum (`age1pq1…`), tag or plugin recipients. */
  | 'unsupported-type'
  /** `age1…` with a bad character, checksum, length or padding: a typo or a cut copy. */
  | 'malformed';

/**
 * The one recipient check, for the manifest's `outputs.recipients`, `--recipient` and
 * `PROVISION_AGE_RECIPIENTS` alike: an X25519 age recipient (`age1` and 58 lower-case bech32
 * characters holding 32 bytes, checksum and padding valid), or why not.
 *
 * Only X25519: the file keys are X25519, and an export must open with the stock `age` CLI,
 * which before age 1.3 knows no post-quantum (`age1pq1…`) stanza. Bech32 comes from
 * `@scure/base` (what age-encryption itself decodes with), not age-encryption, so the
 * manifest check does not load the crypto at every start.
 */
export function checkAgeRecipient(text: string): AgeRecipientProblem | null {
  if (/SECRET-KEY/i.test(text)) return 'identity';
  if (!text.startsWith('age1')) return 'not-age';
  // Hybrid keys are ~2,000 characters, beyond bech32's usual 90-character limit.
  if (/^age1(tag)?pq1/.test(text)) return 'unsupported-type';
  let decoded: { prefix: string; bytes: Uint8Array };
  try {
    decoded = bech32.decodeToBytes(text);
  } catch {
    return 'malformed';
  }
  if (decoded.prefix !== 'age') return 'unsupported-type';
  if (decoded.bytes.length !== 32 || text !== text.toLowerCase()) return 'malformed';
  return null;
}

/** Whether `text` is an X25519 age recipient (see `checkAgeRecipient`). */
export function isAgeRecipient(text: string): boolean {
  return checkAgeRecipient(text) === null;
}
