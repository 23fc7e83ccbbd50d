import { redactCredentials } from '../api/index.js';

/**
 * Secrets this process has read (the management token), so the one place that prints
 * errors can take them out first. Process-wide on purpose: a bug can surface anywhere, and
 * the CLI edge must not need to know where the token travelled.
 */
const secrets = new Set<string>();

// Shorter values could match ordinary words; a real management token is long.
const MIN_SECRET_LENGTH = 8;

/** Remembers a secret value, and each of its lines, as an error may quote it split. */
export function rememberSecret(value: string): void {
  for (const part of [value, ...value.split(/[\r\n]+/)]) {
    const trimmed = part.trim();
    if (trimmed.length >= MIN_SECRET_LENGTH) secrets.add(trimmed);
  }
}

/** `text` without any remembered secret: for messages written to be clean anyway. */
export function redactKnownSecrets(text: string): string {
  let result = text;
  for (const secret of longestFirst()) result = result.split(secret).join('[redacted]');
  return result;
}

/**
 * `text` without any remembered secret, `Authorization` credential or token string, with
 * its lines kept: for the message and stack of an error nobody foresaw. Broader than
 * `redactKnownSecrets` (it may also hide an id after the word "token"), which a bug report
 * can afford.
 */
export function redactUnexpectedText(text: string): string {
  return redactCredentials(text, longestFirst());
}

// Longest first, so a secret that contains another is replaced whole.
function longestFirst(): string[] {
  return [...secrets].sort((a, b) => b.length - a.length);
}
