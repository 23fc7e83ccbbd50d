import { closestMatch, didYouMean } from '../../model/index.js';
import { parseDuration } from '../parse-duration.js';
import { findPlaceholders } from '../substitute-placeholders.js';
import { schemaPattern } from '../schema-validator.js';
import type { DatabaseEntry } from '../expand-databases.js';
import type { PathSegment } from '../locate-node.js';
import type { ValidationIssue } from '../types.js';
import { issueAt } from './rule-context.js';
import type { Rule } from './rule-context.js';

/**
 * `databases:` entries use only `{team}`, and `teams:` only with it (naming declared teams);
 * retention periods are durations the API can hold, or `infinite`.
 */
export const checkDatabaseDeclarations: Rule = (ctx) => {
  const issues: ValidationIssue[] = [];
  const teamNames = (ctx.manifest.teams ?? []).map((team) => team.name);
  const known = new Set(teamNames);
  (ctx.manifest.databases ?? []).forEach((spec, index) => {
    const base: PathSegment[] = ['databases', index];
    const placeholders = findPlaceholders(spec.name);
    for (const name of placeholders.filter((p) => p !== 'team')) {
      const suggestion = closestMatch(`{${name}}`, ['{team}']);
      issues.push(
        issueAt(ctx, [...base, 'name'], {
          code: 'unknown-placeholder',
          message: `unknown placeholder {${name}} in database ${JSON.stringify(spec.name)}`,
          hint:
            suggestion === undefined
              ? 'a database name may use {team} only (one database per team)'
              : `did you mean ${suggestion}?`,
        }),
      );
    }
    if (spec.teams !== undefined && !placeholders.includes('team')) {
      issues.push(
        issueAt(
          ctx,
          [...base, 'teams'],
          {
            code: 'teams-without-placeholder',
            message: `database ${JSON.stringify(spec.name)} lists teams but its name has no {team}`,
            hint: 'put {team} in the name for one database per team, or remove teams:',
          },
          'key',
        ),
      );
    }
    (spec.teams ?? []).forEach((team, item) => {
      if (known.has(team)) return;
      issues.push(
        issueAt(ctx, [...base, 'teams', item], {
          code: 'undefined-team',
          message: `team ${JSON.stringify(team)} is not defined`,
          hint: didYouMean(team, teamNames) ?? 'declare it under teams:',
        }),
      );
    });
  });
  for (const [path, text] of retentionPeriods(ctx)) {
    if (text === 'infinite' || parseDuration(text) !== null) continue;
    const zero = /^(?:0+[wdhms])+$/.test(text);
    issues.push(
      issueAt(ctx, path, {
        code: zero ? 'zero-retention' : 'retention-too-long',
        message: zero
          ? `retention period ${JSON.stringify(text)} is zero`
          : `retention period ${JSON.stringify(text)} is longer than 100 years`,
        hint: zero
          ? 'write "infinite" to keep data forever'
          : 'write "infinite" to keep data forever, or a shorter duration',
      }),
    );
  }
  return issues;
};

/** Every declared database name is one the API accepts once `{team}` is filled in. */
export const checkDatabaseNames: Rule = (ctx) => {
  const issues: ValidationIssue[] = [];
  const valid = schemaPattern('databaseName');
  for (const entry of ctx.expansion.databases.entries) {
    const { name } = entry.database;
    // Written names were checked by the schema; `{team}` ones are checked as filled in.
    const problem =
      name === '.' || name === '..'
        ? 'is not a database name the API can address'
        : entry.templateTeam !== null && !valid.test(name)
          ? Array.from(name).length > 64
            ? 'is longer than 64 characters'
            : 'is not a valid database name'
          : null;
    if (problem === null) continue;
    const forTeam =
      entry.templateTeam === null ? '' : ` for team ${JSON.stringify(entry.templateTeam)}`;
    issues.push(
      issueAt(ctx, [...entry.path, ...(entry.path[0] === 'databases' ? ['name'] : [])], {
        code: 'invalid-database',
        message: `database ${JSON.stringify(name.slice(0, 80))}${forTeam} ${problem}`,
        hint: 'database names have 1 to 64 characters, without spaces, "*", "{" or "}", and are not "." or ".."',
      }),
    );
  }
  return issues;
};

/** One declaration per database name, wherever it is declared. */
export const checkDuplicateDatabases: Rule = (ctx) => {
  const issues: ValidationIssue[] = [];
  const first = new Map<string, string>();
  for (const entry of ctx.expansion.databases.entries) {
    const { name } = entry.database;
    const seen = first.get(name);
    if (seen === undefined) {
      first.set(name, describeDeclaration(ctx, entry));
      continue;
    }
    issues.push(
      issueAt(ctx, entry.path, {
        code: 'duplicate-database',
        message: `database ${JSON.stringify(name)} is declared twice (first at ${seen})`,
        hint: 'declare each database once: at the top level, in one team, or by one {team} entry',
      }),
    );
  }
  return issues;
};

/** `line 4` or `line 4, by "{team}_prod" for team "payments"`. */
function describeDeclaration(ctx: Parameters<Rule>[0], entry: DatabaseEntry): string {
  const line = `line ${ctx.locate(entry.path).line}`;
  if (entry.templateTeam === null) return line;
  const written = ctx.manifest.databases?.[Number(entry.path[1])]?.name ?? '';
  return `${line}, by ${JSON.stringify(written)} for team ${JSON.stringify(entry.templateTeam)}`;
}

function retentionPeriods(ctx: Parameters<Rule>[0]): [PathSegment[], string][] {
  const found: [PathSegment[], string][] = [];
  const fromDefaults = ctx.manifest.defaults?.database?.retentionPeriod;
  if (fromDefaults !== undefined)
    found.push([['defaults', 'database', 'retentionPeriod'], fromDefaults]);
  (ctx.manifest.databases ?? []).forEach((spec, index) => {
    if (spec.retentionPeriod !== undefined)
      found.push([['databases', index, 'retentionPeriod'], spec.retentionPeriod]);
  });
  (ctx.manifest.teams ?? []).forEach((team, t) => {
    (team.databases ?? []).forEach((item, j) => {
      if (typeof item !== 'string' && item.retentionPeriod !== undefined)
        found.push([['teams', t, 'databases', j, 'retentionPeriod'], item.retentionPeriod]);
    });
  });
  return found;
}
