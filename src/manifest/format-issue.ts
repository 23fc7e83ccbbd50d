import type { ValidationIssue } from './types.js';

/**
 * One line per problem, as compilers print them:
 * `tokens.yaml:14:9: permission set "metrics-readr" is not defined; did you mean "metrics-reader"?`
 * Warnings say so after the position. File-level problems (line 0) have no position.
 */
export function formatIssue(issue: ValidationIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const severity = issue.severity === 'warning' ? 'warning: ' : '';
  const hint = issue.hint === undefined ? '' : `; ${issue.hint}`;
  return `${where}: ${severity}${issue.message}${hint}`;
}
