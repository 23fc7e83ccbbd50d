// The library surface: what other programs (and tests) may import.
export * from './errors.js';
export type * from './model/index.js';
export type * from './api/types.js';
export type * from './manifest/types.js';
export type * from './plan/types.js';
export type * from './apply/types.js';
export type * from './secrets/types.js';
export type * from './deliver/types.js';

export {
  createManagementClient,
  DEFAULT_MANAGEMENT_URL,
  ApiError,
  OutcomeUnknownError,
  probeDataPlane,
  waitUntilActive,
} from './api/index.js';
export {
  loadManifest,
  validateManifestText,
  formatIssue,
  parseDuration,
  normalisePermissions,
} from './manifest/index.js';
export {
  computePlan,
  parseMarker,
  withMarker,
  loadPlan,
  savePlan,
  assertPlanFresh,
  fingerprintCluster,
} from './plan/index.js';
export { executePlan } from './apply/index.js';
export {
  openSecretsWriter,
  readSecrets,
  readSecretsIndex,
  exportSecrets,
} from './secrets/index.js';
export { startEmulator } from './emulator/index.js';

// The workflows: what the commands run, with the terminal left out (docs/ARCHITECTURE.md).
export type * from './workflows/index.js';
export {
  planFromManifest,
  planForApply,
  startApply,
  prepareImport,
  verifyTokens,
  resolveConnection,
} from './workflows/index.js';
