import type { ExpandedEntry } from '../expansion-types.js';
import type { TokenFieldsSpec, ValidationIssue } from '../types.js';
import { describeEntry, describeExpansion, issueAt } from './rule-context.js';
import type { Rule, RuleContext } from './rule-context.js';

/**
 * Warnings for what the API accepts but nobody wants: a token without permissions, a
 * template that yields no token at all.
 */
export const checkEmptyTokens: Rule = (ctx) => {
  const issues: ValidationIssue[] = [];
  const yielding = new Set<number>();
  const reported = new Set<number>();
  const sets = ctx.manifest.permissionSets ?? {};
  const teams = new Set((ctx.manifest.teams ?? []).map((team) => team.name));
  for (const entry of ctx.expansion.entries) {
    if (entry.origin.kind === 'template') yielding.add(entry.origin.index);
    if (entry.token.permissions.length > 0) continue;
    // An undefined set is already an error; an empty token is its consequence.
    const spec = specOf(ctx, entry);
    if ((spec?.sets ?? []).some((set) => !Object.hasOwn(sets, set))) continue;
    if (entry.origin.kind === 'template') {
      if (reported.has(entry.origin.index)) continue;
      reported.add(entry.origin.index);
    }
    issues.push(
      issueAt(ctx, entry.path, {
        code: 'no-permissions',
        severity: 'warning',
        message: `${describeEntry(ctx, entry)} grants no permissions${describeExpansion(entry)}`,
        hint: 'add read:, write: or sets:; such a token can do nothing',
      }),
    );
  }
  (ctx.manifest.templates ?? []).forEach((template, index) => {
    if (yielding.has(index)) return;
    if ((template.teams ?? []).some((team) => !teams.has(team))) return; // already an error
    issues.push(
      issueAt(ctx, ['templates', index], {
        code: 'template-yields-nothing',
        severity: 'warning',
        message: `template ${JSON.stringify(template.name)} yields no tokens`,
        hint:
          template.per === 'database'
            ? 'its teams have no databases, or no team matches its teams: list'
            : 'no team matches; declare teams: or fix its teams: list',
      }),
    );
  });
  return issues;
};

function specOf(ctx: RuleContext, entry: ExpandedEntry): TokenFieldsSpec | undefined {
  const list = entry.origin.kind === 'token' ? ctx.manifest.tokens : ctx.manifest.templates;
  return list?.[entry.origin.index];
}
