import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { formatUnexpectedError } from '../../src/cli/format-unexpected-error.js';
import { rememberSecret } from '../../src/cli/known-secrets.js';

it('an unforeseen error keeps its stack but never prints a known secret or a header value', () => {
  const token = `mgmt_${randomBytes(20).toString('hex')}`;
  const other = `Other${randomBytes(12).toString('hex')}`;
  rememberSecret(`${token}\nx`);
  // What fetch threw before tokens were checked: the whole header value, quoted.
  const error = new TypeError(`Headers.append: "Bearer ${token}\nx" is an invalid header value.`);
  const printed = formatUnexpectedError(error);
  expect(printed).not.toContain(token);
  expect(printed).toContain('Headers.append: "Bearer [redacted]');
  expect(printed).toMatch(/\n\s+at /); // still a stack, for the bug report
  expect(printed.startsWith('internal error (a bug in provision; please report it):\n')).toBe(true);

  // A credential the process never read is still taken out after an auth scheme.
  const foreign = formatUnexpectedError(new Error(`sent Authorization: Bearer ${other}`));
  expect(foreign).not.toContain(other);
  expect(formatUnexpectedError(`thrown string with Token ${other}`)).not.toContain(other);
});
