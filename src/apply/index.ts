// What other folders may use of src/apply/: they import it from here only.
export { executePlan } from './execute-plan.js';
export { applyFailed, mergeSummaries } from './summarise-results.js';
export type {
  ApplyEvent,
  ApplyStep,
  ApplySummary,
  ChangeResult,
  DatabaseResult,
  SecretSink,
} from './types.js';
