import { UsageError } from '../errors.js';

/** What to do about a management token that is not visible ASCII. */
const HINT =
  'a management token is visible ASCII only (no spaces, line breaks or other invisible characters); copy it again, e.g. printf %s "$TOKEN" > FILE';

/**
 * Why `token` cannot go into an `Authorization` header, or undefined when it can: only
 * visible ASCII (0x21–0x7E) is allowed. The answer names the kind of character and its
 * position (1-based), never the token: a CR or LF would otherwise make fetch throw an
 * error that quotes the whole header value.
 */
export function findManagementTokenProblem(token: string): string | undefined {
  if (token === '') return 'is empty';
  for (let index = 0; index < token.length; index += 1) {
    const code = token.charCodeAt(index);
    if (code >= 0x21 && code <= 0x7e) continue;
    return `contains ${describeCharacter(code)} at position ${index + 1}`;
  }
  return undefined;
}

/**
 * Throws one clean `UsageError` when the token is not usable; `source` says where it came
 * from, e.g. `the management token from INFLUX_MANAGEMENT_TOKEN`.
 */
export function assertManagementToken(token: string, source = 'the management token'): void {
  const problem = findManagementTokenProblem(token);
  if (problem !== undefined) throw new UsageError(`${source} ${problem}`, { hint: HINT });
}

function describeCharacter(code: number): string {
  if (code === 0x0a) return 'a line break (LF)';
  if (code === 0x0d) return 'a line break (CR)';
  if (code === 0x20) return 'a space';
  if (code === 0x09) return 'a tab';
  if (code < 0x20 || code === 0x7f) return 'a control character';
  return 'a non-ASCII character';
}
