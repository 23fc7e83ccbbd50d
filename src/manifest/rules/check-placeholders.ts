import { closestMatch } from '../../model/index.js';
import type { PathSegment } from '../locate-node.js';
import { KNOWN_PLACEHOLDERS, findPlaceholders } from '../substitute-placeholders.js';
import type { ValidationIssue } from '../types.js';
import { issueAt } from './rule-context.js';
import type { Rule, RuleContext } from './rule-context.js';

const KNOWN = new Set<string>(KNOWN_PLACEHOLDERS);
const SUGGESTIONS = KNOWN_PLACEHOLDERS.map((name) => `{${name}}`);

/**
 * Templates use only `{team}` and `{database}`, and `{database}` only where there is one
 * database to fill in: per-database templates, or list entries of per-team ones (which then
 * mean every team database). The per-team secrets path uses only `{team}`.
 */
export const checkPlaceholders: Rule = (ctx) => {
  const issues: ValidationIssue[] = [];
  (ctx.manifest.templates ?? []).forEach((template, index) => {
    const base: PathSegment[] = ['templates', index];
    const perDatabase = template.per === 'database';
    const named: [PathSegment[], string][] = [
      [[...base, 'name'], template.name],
      ...optional([...base, 'description'], template.description),
      ...listed([...base, 'previousNames'], template.previousNames),
    ];
    const lists: [PathSegment[], string][] = [
      ...listed([...base, 'read'], template.read),
      ...listed([...base, 'write'], template.write),
    ];
    for (const [path, text] of [...named, ...lists]) {
      issues.push(...unknownPlaceholders(ctx, path, text, KNOWN));
    }
    if (perDatabase) return;
    for (const [path, text] of named) {
      if (!findPlaceholders(text).includes('database')) continue;
      issues.push(
        issueAt(ctx, path, {
          code: 'database-placeholder-per-team',
          message: `{database} cannot be used in the ${String(path[2])} of template ${JSON.stringify(template.name)}, which yields one token per team`,
          hint: 'set per: database for one token per database, or remove {database}',
        }),
      );
    }
  });
  const teamFile = ctx.manifest.outputs?.teamSecretsFile;
  if (teamFile !== undefined) {
    issues.push(
      ...unknownPlaceholders(ctx, ['outputs', 'teamSecretsFile'], teamFile, new Set(['team'])),
    );
  }
  return issues;
};

function unknownPlaceholders(
  ctx: RuleContext,
  path: PathSegment[],
  text: string,
  known: ReadonlySet<string>,
): ValidationIssue[] {
  return findPlaceholders(text)
    .filter((name) => !known.has(name))
    .map((name) => {
      const suggestion = closestMatch(
        `{${name}}`,
        [...known].map((k) => `{${k}}`),
      );
      return issueAt(ctx, path, {
        code: 'unknown-placeholder',
        message: `unknown placeholder {${name}}`,
        hint:
          suggestion === undefined
            ? `use ${(known.size === KNOWN.size ? SUGGESTIONS : ['{team}']).join(' or ')}`
            : `did you mean ${suggestion}?`,
      });
    });
}

function optional(path: PathSegment[], text: string | undefined): [PathSegment[], string][] {
  return text === undefined ? [] : [[path, text]];
}

function listed(path: PathSegment[], items: string[] | undefined): [PathSegment[], string][] {
  return (items ?? []).map((text, index) => [[...path, index], text]);
}
