// What other folders may use of src/model/: they import it from here only.
export { checkAgeRecipient, isAgeRecipient } from './check-age-recipient.js';
export { closestMatch, didYouMean } from './closest-match.js';
export {
  CLUSTER_NAME_PATTERN,
  clusterVariableSuffix,
  managementTokenVariable,
} from './cluster-names.js';
export {
  DATABASE_LIMITS,
  PATCHABLE_DATABASE_FIELDS,
  partitionTemplateKey,
  samePartitionTemplate,
} from './databases.js';
export type {
  CreateDatabaseRequest,
  DatabaseSettings,
  PartitionTemplatePart,
  UpdateDatabaseRequest,
} from './databases.js';
export {
  DELIVERY_PLACEHOLDERS,
  fillCommand,
  findDeliveryPlaceholders,
  singleDatabase,
  targetTakes,
} from './delivery-target.js';
export type { DeliveryTarget } from './delivery-target.js';
export type {
  ClusterDatabase,
  CreateTokenRequest,
  CreatedDatabaseToken,
  DatabaseToken,
  Permission,
  PermissionAction,
  UpdateTokenRequest,
} from './tokens.js';
export { PRODUCTS, isProduct, productTitle } from './target.js';
export type { ManagementTarget, Product } from './target.js';
