/**
 * Typed errors. A `ProvisionError` is a user-facing problem: the CLI prints its
 * message (and hint) as one clean line and exits with its code. Anything else is a
 * bug and keeps its stack.
 */
export class ProvisionError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number;
  /** What the user can do about it, printed after the message. */
  readonly hint: string | undefined;

  constructor(
    message: string,
    options: { hint?: string | undefined; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? 1;
    this.hint = options.hint;
  }
}

/** A flag, argument or environment variable is wrong. */
export class UsageError extends ProvisionError {}

/** The manifest could not be loaded or is invalid. */
export class ManifestError extends ProvisionError {}

/** A plan could not be made, or a saved plan cannot be used. */
export class PlanError extends ProvisionError {}

/** Reading or writing the encrypted secrets file failed. */
export class SecretsError extends ProvisionError {}

/** Something that should be impossible happened; printed with its stack. */
export class InternalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}

/** An error as one line for a result or a message: its first line, never its stack. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
