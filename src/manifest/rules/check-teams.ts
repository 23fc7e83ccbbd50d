import { didYouMean } from '../../model/index.js';
import type { ValidationIssue } from '../types.js';
import { issueAt } from './rule-context.js';
import type { Rule } from './rule-context.js';

/** Team names are unique; templates only name declared teams; teams need a template. */
export const checkTeams: Rule = (ctx) => {
  const teams = ctx.manifest.teams ?? [];
  const issues: ValidationIssue[] = [];
  const firstLine = new Map<string, number>();
  teams.forEach((team, index) => {
    const first = firstLine.get(team.name);
    if (first === undefined) {
      firstLine.set(team.name, ctx.locate(['teams', index, 'name']).line);
      return;
    }
    issues.push(
      issueAt(ctx, ['teams', index, 'name'], {
        code: 'duplicate-team',
        message: `team ${JSON.stringify(team.name)} is declared twice (first at line ${first})`,
        hint: 'merge the two entries',
      }),
    );
  });

  const names = [...firstLine.keys()];
  (ctx.manifest.templates ?? []).forEach((template, index) => {
    (template.teams ?? []).forEach((team, item) => {
      if (firstLine.has(team)) return;
      issues.push(
        issueAt(ctx, ['templates', index, 'teams', item], {
          code: 'undefined-team',
          message: `team ${JSON.stringify(team)} is not defined`,
          hint: didYouMean(team, names) ?? 'declare it under teams:',
        }),
      );
    });
  });

  // Teams that only declare databases are fine: those are what they yield.
  const yieldsDatabases = ctx.expansion.databases.entries.some(
    (entry) => entry.database.team !== null,
  );
  if (teams.length > 0 && (ctx.manifest.templates ?? []).length === 0 && !yieldsDatabases) {
    issues.push(
      issueAt(
        ctx,
        ['teams'],
        {
          code: 'teams-without-templates',
          severity: 'warning',
          message: 'teams are declared but no template uses them, so they yield no tokens',
          hint: 'add templates:, or remove teams:',
        },
        'key',
      ),
    );
  }
  return issues;
};
