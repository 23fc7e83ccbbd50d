import { redactUnexpectedText } from './known-secrets.js';

/**
 * What the CLI prints for an error nobody foresaw (a bug): its stack, kept because it is
 * what a bug report needs, but with every known secret and `Authorization` value taken out
 * first. Runtime errors quote what they choke on; fetch's quotes the whole header value.
 */
export function formatUnexpectedError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `internal error (a bug in provision; please report it):\n${redactUnexpectedText(text)}\n`;
}
