import { ProvisionError } from '../errors.js';
import { ExitCode } from './exit-codes.js';
import { formatUnexpectedError } from './format-unexpected-error.js';
import type { CliIo } from './io.js';
import { redactKnownSecrets } from './known-secrets.js';

/**
 * The one place errors are printed and mapped to exit codes: a `ProvisionError` as
 * `error: …` and `hint: …` lines, anything else (a bug) with its stack, secrets taken out.
 */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof ProvisionError) {
    // Known errors are written to be clean; redacting anyway costs nothing.
    io.stderr.write(`error: ${redactKnownSecrets(error.message)}\n`);
    if (error.hint !== undefined) io.stderr.write(`hint: ${redactKnownSecrets(error.hint)}\n`);
    return error.exitCode;
  }
  io.stderr.write(formatUnexpectedError(error));
  return ExitCode.Error;
}
