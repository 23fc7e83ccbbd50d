// What other folders may use of src/plan/: they import it from here only.
export { checkMassRevoke, describeMassRevoke } from './check-mass-revoke.js';
export { chooseKeeper } from './choose-keeper.js';
export { claimTokens } from './claim-tokens.js';
export { classifyTokens } from './classify-tokens.js';
export { findDatabaseDifference } from './compare-database-plans.js';
export { findPlanDifference } from './compare-plans.js';
export { computePlan } from './compute-plan.js';
export { describeRetention, describeTemplate } from './describe-database.js';
export { expiringWithinWarning } from './expiring-within-warning.js';
export { INTENT_SPAN_MS, findLostSecrets } from './find-lost-secrets.js';
export type { SealedEvidence } from './find-lost-secrets.js';
export { fingerprintCluster } from './fingerprint-cluster.js';
export { parseMarker, toSecondsIso, withMarker, withRetireMarker } from './marker.js';
export { samePermissions } from './permission-key.js';
export { assertPlanFresh, loadPlan, savePlan } from './plan-file.js';
export { selectOnly } from './select-only.js';
export { serialisePlan } from './serialise-plan.js';
export { addSummaries, hasChanges } from './summarise-plan.js';
export type {
  ChangeAction,
  DatabaseAction,
  DatabaseSnapshot,
  DesiredSnapshot,
  Plan,
  PlanInput,
  PlanSet,
  PlanProblem,
  PlanSummary,
  PlanWarning,
  PlannedChange,
  PlannedDatabaseChange,
} from './types.js';
