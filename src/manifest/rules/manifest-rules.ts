import { checkSetReferences } from './check-set-references.js';
import type { Rule } from './rule-context.js';

/** Every semantic rule, run in this order after the schema accepted the manifest. */
export const MANIFEST_RULES: readonly Rule[] = [checkSetReferences];
