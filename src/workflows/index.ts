// What other folders may use of src/workflows/: they import it from here only.
export type { ClientFactory, Connection, WorkflowContext, WorkflowReporter } from './context.js';
export { prepareImport } from './import-tokens.js';
export {
  DEFAULT_MANIFEST,
  SavedPlanProblemsError,
  planClustersForApply,
  planForApply,
} from './plan-for-apply.js';
export { chooseClusterManifests, planClusters, splitScoped, toPlanSet } from './plan-clusters.js';
export {
  connectOne,
  loadValidManifest,
  loadValidManifests,
  manifestSecretsFiles,
  oneCluster,
  planFromManifest,
} from './plan-from-manifest.js';
export { resolveConnection } from './resolve-connection.js';
export { displayPath } from './display-path.js';
export { secretsFileFor } from './secrets-file-for.js';
export { startApply } from './start-apply.js';
export { startClusterApplies } from './start-cluster-applies.js';
export type { ClusterApply, ClusterSummary, ReadyClusterApplies } from './start-cluster-applies.js';
export { verifyTokens } from './verify-tokens.js';
// The workflows' inputs and outputs, for the library surface (src/index.ts).
export type { LoadedManifests, PlanInputs, PlannedFromManifest } from './plan-from-manifest.js';
export type { ClusterPlanInputs, PlannedClusters } from './plan-clusters.js';
export type {
  ApplyPlanInputs,
  PlanForApply,
  PlanRefused,
  PlansForApply,
} from './plan-for-apply.js';
export type { DeliveryRun, ReadyApply, StartApplyOptions } from './start-apply.js';
export type {
  ImportInputs,
  ImportOutcome,
  ImportRequest,
  PreparedImport,
} from './import-tokens.js';
export type { VerifyInputs, VerifyProgressSink } from './verify-tokens.js';
export type { ConnectionFlags } from './resolve-connection.js';
