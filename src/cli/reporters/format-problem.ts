import type { PlanProblem } from '../../plan/index.js';

/** `file:line:col: message; hint`, or `error: message; hint` when no place is known. */
export function formatProblem(problem: PlanProblem): string {
  const where =
    problem.source === undefined
      ? 'error'
      : `${problem.source.file}:${problem.source.line}:${problem.source.column}`;
  return `${where}: ${problem.message}${problem.hint === undefined ? '' : `; ${problem.hint}`}`;
}
