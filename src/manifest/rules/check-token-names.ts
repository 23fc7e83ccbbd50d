import type { ExpandedEntry } from '../expansion-types.js';
import type { PathSegment } from '../locate-node.js';
import { schemaPattern } from '../schema-validator.js';
import type { ValidationIssue } from '../types.js';
import { describeEntry, describeExpansion, issueAt } from './rule-context.js';
import type { Rule, RuleContext } from './rule-context.js';

/**
 * Names are identities, so after expansion each must be valid and unique. A clash names
 * both sources; a template's problems are reported once, at the template.
 */
export const checkTokenNames: Rule = (ctx) => {
  const issues: ValidationIssue[] = [];
  const firstByName = new Map<string, ExpandedEntry>();
  const reportedTemplates = new Set<string>();
  const tokenName = schemaPattern('tokenName');
  for (const entry of ctx.expansion.entries) {
    if (entry.broken) continue;
    const { name } = entry.token;
    const namePath: PathSegment[] = [...entry.path, 'name'];
    const once = (code: string): boolean => {
      if (entry.origin.kind === 'token') return true;
      const key = `${code}:${entry.origin.index}`;
      if (reportedTemplates.has(key)) return false;
      reportedTemplates.add(key);
      return true;
    };
    if (entry.origin.kind === 'template' && !tokenName.test(name)) {
      if (once('invalid-name')) issues.push(invalidExpandedName(ctx, entry, namePath));
      continue;
    }
    const first = firstByName.get(name);
    if (first === undefined) {
      firstByName.set(name, entry);
      continue;
    }
    if (!once('duplicate-name')) continue;
    const yields =
      entry.origin.kind === 'token'
        ? `token name ${JSON.stringify(name)} is`
        : `${describeEntry(ctx, entry)} yields the name ${JSON.stringify(name)}${describeExpansion(entry)}, which is`;
    issues.push(
      issueAt(ctx, namePath, {
        code: 'duplicate-name',
        message: `${yields} already used by ${describeSource(ctx, first)}`,
        hint: sameTemplate(entry, first)
          ? sameTemplateHint(ctx, entry, first)
          : 'token names are identities; rename one of them',
      }),
    );
  }
  return issues;
};

function invalidExpandedName(
  ctx: RuleContext,
  entry: ExpandedEntry,
  path: PathSegment[],
): ValidationIssue {
  const { name } = entry.token;
  const tooLong = name.length > 64;
  return issueAt(ctx, path, {
    code: 'invalid-name',
    message: `${describeEntry(ctx, entry)} yields ${tooLong ? 'a name longer than 64 characters' : 'an invalid token name'}${describeExpansion(entry)}: ${JSON.stringify(name.length > 80 ? `${name.slice(0, 77)}…` : name)}`,
    hint: tooLong
      ? 'shorten the template name'
      : 'token names use lowercase letters, digits, ".", "_" and "-", and start with a letter or digit',
  });
}

function describeSource(ctx: RuleContext, entry: ExpandedEntry): string {
  const line = ctx.locate([...entry.path, 'name']).line;
  if (entry.origin.kind === 'token') return `the token at line ${line}`;
  const template = ctx.manifest.templates?.[entry.origin.index]?.name ?? '';
  return `template ${JSON.stringify(template)}${describeExpansion(entry)} (line ${line})`;
}

// One template yielding one name twice for the same team is a repeat in the input (a team
// declared twice, or a database listed twice), not a template without enough placeholders.
function sameTemplateHint(ctx: RuleContext, entry: ExpandedEntry, first: ExpandedEntry): string {
  if (
    entry.origin.kind === 'template' &&
    first.origin.kind === 'template' &&
    entry.origin.team === first.origin.team
  ) {
    const team = entry.origin.team;
    const declared = (ctx.manifest.teams ?? []).filter((t) => t.name === team).length;
    if (declared > 1) {
      return `this follows from team ${JSON.stringify(team)} being declared twice; merge the two entries`;
    }
    if (entry.origin.database !== null && entry.origin.database === first.origin.database) {
      return `team ${JSON.stringify(team)} lists database ${JSON.stringify(entry.origin.database)} twice; remove one`;
    }
  }
  return missingPlaceholderHint(ctx, entry);
}

function missingPlaceholderHint(ctx: RuleContext, entry: ExpandedEntry): string {
  const name =
    entry.origin.kind === 'template'
      ? ctx.manifest.templates?.[entry.origin.index]?.name
      : undefined;
  if (name === undefined) return 'rename one of them';
  const missing = !name.includes('{team}')
    ? '{team}'
    : !name.includes('{database}')
      ? '{database}'
      : null;
  return missing === null
    ? 'two teams list the same database; give each database to one team'
    : `add ${missing} to the template name so that each token gets its own`;
}

function sameTemplate(a: ExpandedEntry, b: ExpandedEntry): boolean {
  return (
    a.origin.kind === 'template' &&
    b.origin.kind === 'template' &&
    a.origin.index === b.origin.index
  );
}
