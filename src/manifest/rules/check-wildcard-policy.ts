import type { ValidationIssue } from '../types.js';
import { describeEntry, issueAtPosition } from './rule-context.js';
import type { Rule } from './rule-context.js';

/**
 * `policy.forbidWildcardWrite` / `forbidWildcardRead`: no token may reach every database,
 * whether it names `"*"` itself or gets it through a permission set. Reported where the
 * token (or template) asks for it: the list item, or the `sets` entry.
 */
export const checkWildcardPolicy: Rule = (ctx) => {
  const policy = ctx.manifest.policy ?? {};
  const forbidden = {
    write: policy.forbidWildcardWrite === true,
    read: policy.forbidWildcardRead === true,
  };
  if (!forbidden.write && !forbidden.read) return [];
  const issues: ValidationIssue[] = [];
  for (const entry of ctx.expansion.entries) {
    for (const grant of entry.grants) {
      if (grant.resource !== '*' || !forbidden[grant.action]) continue;
      const flag = grant.action === 'write' ? 'forbidWildcardWrite' : 'forbidWildcardRead';
      const through =
        grant.via === null ? '' : ` through permission set ${JSON.stringify(grant.via.set)}`;
      issues.push(
        issueAtPosition(grant.via?.at ?? grant.at, {
          code: 'wildcard-forbidden',
          message: `${describeEntry(ctx, entry)} ${grant.action === 'write' ? 'writes to' : 'reads'} every database ("*")${through}, which policy.${flag} forbids`,
          hint: `name the databases instead, or set policy.${flag}: false`,
        }),
      );
    }
  }
  return issues;
};
