import { countCharacters } from '../count-characters.js';
import { schemaPattern } from '../schema-validator.js';
import type { ValidationIssue } from '../types.js';
import { describeEntry, describeExpansion, issueAtPosition } from './rule-context.js';
import type { Rule } from './rule-context.js';

/** A template's `read`/`write` entries must still be database names once filled in. */
export const checkTemplateDatabases: Rule = (ctx) => {
  const issues: ValidationIssue[] = [];
  // The schema's own rule for written entries, applied once placeholders are filled.
  const database = schemaPattern('databaseOrWildcard');
  for (const entry of ctx.expansion.entries) {
    if (entry.origin.kind !== 'template' || entry.broken) continue;
    for (const grant of entry.grants) {
      if (grant.via !== null || database.test(grant.resource)) continue;
      const tooLong = countCharacters(grant.resource) > 64;
      issues.push(
        issueAtPosition(grant.at, {
          code: 'invalid-database',
          message: `${grant.action} entry of ${describeEntry(ctx, entry)} becomes ${tooLong ? 'a database name longer than 64 characters' : 'an invalid database name'}${describeExpansion(entry)}: ${JSON.stringify(grant.resource.slice(0, 80))}`,
          hint: 'database names have 1 to 64 characters, without spaces, "*", "{" or "}"',
        }),
      );
    }
  }
  return issues;
};
