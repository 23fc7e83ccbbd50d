import { formatIssue } from '../../manifest/index.js';
import type { ValidationIssue } from '../../manifest/index.js';
import { writeLine } from '../io.js';

/** One line per issue, compiler style, in the order given (sorted by position). */
export function writeIssues(
  stream: NodeJS.WritableStream,
  issues: readonly ValidationIssue[],
): void {
  for (const issue of issues) writeLine(stream, formatIssue(issue));
}

/** `1 problem`, `3 problems`: errors only; warnings never make a manifest invalid. */
export function countProblems(issues: readonly ValidationIssue[]): string {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  return errors === 1 ? '1 problem' : `${errors} problems`;
}
