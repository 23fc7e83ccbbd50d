/** Every exit code the CLI uses, in one table. */
export const ExitCode = {
  /** Success; with `--detailed-exitcode`, also "no changes". */
  Ok: 0,
  /** An error, invalid input, or any failed action. */
  Error: 1,
  /** The plan has changes (only with `--detailed-exitcode`). */
  Changes: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
