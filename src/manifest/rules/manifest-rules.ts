import { checkClusterProduct } from './check-cluster-product.js';
import { checkDeliveryTargets } from './check-delivery-targets.js';
import {
  checkDatabaseDeclarations,
  checkDatabaseNames,
  checkDuplicateDatabases,
} from './check-database-declarations.js';
import { checkDurations } from './check-durations.js';
import { checkEmptyTokens } from './check-empty-tokens.js';
import { checkExpiry } from './check-expiry.js';
import { checkMaxTokens } from './check-max-tokens.js';
import { checkOutputs } from './check-outputs.js';
import { checkPlaceholders } from './check-placeholders.js';
import { checkPreviousNames } from './check-previous-names.js';
import { checkRotation } from './check-rotation.js';
import { checkSetReferences } from './check-set-references.js';
import { checkTeams } from './check-teams.js';
import { checkTemplateDatabases } from './check-template-databases.js';
import { checkTokenNames } from './check-token-names.js';
import { checkWildcardPolicy } from './check-wildcard-policy.js';
import type { Rule } from './rule-context.js';

/** Every semantic rule, run after the schema accepted the manifest; output is sorted later. */
export const MANIFEST_RULES: readonly Rule[] = [
  checkClusterProduct,
  checkSetReferences,
  checkTeams,
  checkPlaceholders,
  checkTokenNames,
  checkTemplateDatabases,
  checkDatabaseDeclarations,
  checkDatabaseNames,
  checkDuplicateDatabases,
  checkPreviousNames,
  checkDurations,
  checkExpiry,
  checkRotation,
  checkWildcardPolicy,
  checkMaxTokens,
  checkOutputs,
  checkDeliveryTargets,
  checkEmptyTokens,
];
