/** Every database token string starts like this (`apiv1_` + at least 58 more characters). */
const TOKEN_STRING = /apiv1_[A-Za-z0-9._~+/=-]*/g;
// Credentials after an auth scheme; 16+ characters so prose such as "token is" survives.
const BEARER = /\b(Bearer|Token)\s+[A-Za-z0-9._~+/=-]{16,}/gi;
const MAX_LENGTH = 300;

/**
 * Removes token strings, `Authorization` values and the given secrets from text that may
 * come from the API or the network stack, so it can go into an error message. Long text is
 * cut, because an error is one line.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  const result = redactCredentials(text, secrets).replace(/\s+/g, ' ').trim();
  return result.length > MAX_LENGTH ? `${result.slice(0, MAX_LENGTH)}…` : result;
}

/**
 * The same removals, keeping the text's shape (lines, length): for a stack trace, which
 * must stay readable for a bug report.
 */
export function redactCredentials(text: string, secrets: readonly string[] = []): string {
  let result = text;
  for (const secret of secrets) {
    // Short values could match ordinary words; a real management token is long.
    if (secret.length >= 8) result = result.split(secret).join('[redacted]');
  }
  return result.replace(TOKEN_STRING, 'apiv1_[redacted]').replace(BEARER, '$1 [redacted]');
}
