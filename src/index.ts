// The library surface: what other programs (and tests) may import.
export * from './errors.js';
export type * from './api/types.js';
export type * from './manifest/types.js';
export type * from './plan/types.js';
export type * from './apply/types.js';
export type * from './secrets/types.js';

export { createManagementClient, DEFAULT_MANAGEMENT_URL } from './api/create-management-client.js';
export { ApiError, OutcomeUnknownError } from './api/errors.js';
export { probeDataPlane, waitUntilActive } from './api/probe-data-plane.js';
export { loadManifest, validateManifestText } from './manifest/load-manifest.js';
export { formatIssue } from './manifest/format-issue.js';
export { parseDuration } from './manifest/parse-duration.js';
export { normalisePermissions } from './manifest/normalise-permissions.js';
export { computePlan } from './plan/compute-plan.js';
export { parseMarker, withMarker } from './plan/marker.js';
export { loadPlan, savePlan, assertPlanFresh } from './plan/plan-file.js';
export { fingerprintCluster } from './plan/fingerprint-cluster.js';
export { executePlan } from './apply/execute-plan.js';
export {
  openSecretsWriter,
  readSecrets,
  readSecretsIndex,
  exportSecrets,
} from './secrets/index.js';
export { startEmulator } from './emulator/start-emulator.js';

// The workflows: what the commands run, with the terminal left out (docs/ARCHITECTURE.md).
export type * from './workflows/context.js';
export { planFromManifest, type PlanInputs } from './workflows/plan-from-manifest.js';
export { planForApply, type ApplyPlanInputs } from './workflows/plan-for-apply.js';
export { startApply, type StartApplyOptions, type ReadyApply } from './workflows/start-apply.js';
export {
  prepareImport,
  type ImportRequest,
  type PreparedImport,
} from './workflows/import-tokens.js';
export { verifyTokens, type VerifyInputs } from './workflows/verify-tokens.js';
export { resolveConnection, type ConnectionFlags } from './workflows/resolve-connection.js';
