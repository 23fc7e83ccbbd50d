import { redactCredentials } from '../api/redact-secrets.js';

/**
 * Secrets this process has read (the management token), so the one place that prints
 * errors can take them out first. Process-wide on purpose: a bug can surface anywhere, and
 * the CLI edge must not need to know where the token travelled.
 */
const secrets = new Set<string>();

/** Remembers a secret value, and each of its lines, as an error may quote it split. */
export function rememberSecret(value: string): void {
  for (const part of [value, ...value.split(/[\r\n]+/)]) secrets.add(part.trim());
}

/**
 * `text` without any remembered secret, `Authorization` credential or token string, with
 * its lines kept: for the message and stack of an error nobody foresaw.
 */
export function redactKnownSecrets(text: string): string {
  // Longest first, so a secret that contains another is replaced whole.
  return redactCredentials(
    text,
    [...secrets].sort((a, b) => b.length - a.length),
  );
}
