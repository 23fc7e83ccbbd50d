import type { ExpandedEntry } from '../expansion-types.js';
import { schemaPattern } from '../schema-validator.js';
import type { ValidationIssue } from '../types.js';
import { describeEntry, describeExpansion, issueAt } from './rule-context.js';
import type { Rule } from './rule-context.js';

/**
 * A previous name lets the plan rename a token in place. It is ambiguous if it is still a
 * live name, names the token itself, or is claimed by two tokens.
 */
export const checkPreviousNames: Rule = (ctx) => {
  const live = new Set(ctx.expansion.entries.map((entry) => entry.token.name));
  const claimedBy = new Map<string, ExpandedEntry>();
  const tokenName = schemaPattern('tokenName');
  const issues: ValidationIssue[] = [];
  for (const entry of ctx.expansion.entries) {
    if (entry.broken) continue;
    entry.token.previousNames.forEach((previous, index) => {
      const path = [...entry.path, 'previousNames', index];
      const owner = `${describeEntry(ctx, entry)}${describeExpansion(entry)}`;
      const quoted = JSON.stringify(previous);
      if (!tokenName.test(previous)) {
        issues.push(
          issueAt(ctx, path, {
            code: 'invalid-name',
            message: `previous name ${quoted} of ${owner} is not a valid token name`,
            hint: 'token names use lowercase letters, digits, ".", "_" and "-" (at most 64)',
          }),
        );
      } else if (previous === entry.token.name) {
        issues.push(
          issueAt(ctx, path, {
            code: 'previous-name-is-current',
            message: `${owner} lists its own name ${quoted} as a previous name`,
            hint: 'remove it from previousNames',
          }),
        );
      } else if (live.has(previous)) {
        issues.push(
          issueAt(ctx, path, {
            code: 'previous-name-in-use',
            message: `previous name ${quoted} of ${owner} is also the name of a token in this manifest`,
            hint: 'a previous name must no longer be in use: remove it here, or rename the other token',
          }),
        );
      } else {
        const other = claimedBy.get(previous);
        if (other === undefined) {
          claimedBy.set(previous, entry);
        } else {
          issues.push(
            issueAt(ctx, path, {
              code: 'previous-name-claimed-twice',
              message: `previous name ${quoted} is claimed by ${owner} and by ${describeEntry(ctx, other)}${describeExpansion(other)}`,
              hint: 'only one token can take over an old name',
            }),
          );
        }
      }
    });
  }
  return issues;
};
