// What other folders may use of src/api/: they import it from here only.
export { assertManagementToken } from './check-management-token.js';
export {
  DEFAULT_MANAGEMENT_URL,
  MAX_TIMEOUT_MS,
  createManagementClient,
} from './create-management-client.js';
export { ApiError, OutcomeUnknownError, isNotFound } from './errors.js';
export { isUuid } from './is-uuid.js';
export { assertClusterUrl, probeDataPlane, waitUntilActive } from './probe-data-plane.js';
export type { ProbeResult } from './probe-data-plane.js';
export { redactCredentials } from './redact-secrets.js';
export { DEFAULT_TIMEOUT_MS } from './request-limits.js';
export { backoffDelay } from './retry-policy.js';
export type { ClientEvent, ManagementApi } from './types.js';
export { matchProductPath, ownerFieldsOf } from './product-routes.js';
export type { OwnerField, ProductIds, ProductPathMatch } from './product-routes.js';
