import { isAgeRecipient } from '../../model/index.js';
import type { PathSegment } from '../locate-node.js';
import type { ValidationIssue } from '../types.js';
import { issueAt } from './rule-context.js';
import type { Rule } from './rule-context.js';

/**
 * Secrets must reach someone: with per-team files every team needs recipients, and every
 * recipient must be a real age key (checksum), or apply would fail after creating tokens.
 */
export const checkOutputs: Rule = (ctx) => {
  const teams = ctx.manifest.teams ?? [];
  const perTeamFiles = ctx.manifest.outputs?.teamSecretsFile !== undefined;
  const issues: ValidationIssue[] = [];

  const recipientLists: [PathSegment[], string[]][] = [
    [['outputs', 'recipients'], ctx.manifest.outputs?.recipients ?? []],
    ...teams.map((team, index): [PathSegment[], string[]] => [
      ['teams', index, 'recipients'],
      team.recipients ?? [],
    ]),
  ];
  for (const [path, recipients] of recipientLists) {
    recipients.forEach((recipient, index) => {
      if (isAgeRecipient(recipient)) return;
      issues.push(
        issueAt(ctx, [...path, index], {
          code: 'bad-recipient',
          message: `age recipient ${JSON.stringify(recipient)} has a wrong checksum`,
          hint: 'a character is mistyped; copy it again from age-keygen -y',
        }),
      );
    });
  }

  if (perTeamFiles) {
    teams.forEach((team, index) => {
      if ((team.recipients ?? []).length > 0) return;
      issues.push(
        issueAt(ctx, ['teams', index], {
          code: 'team-without-recipients',
          message: `team ${JSON.stringify(team.name)} has no recipients, but outputs.teamSecretsFile seals a file per team`,
          hint: 'add recipients: [age1…] to the team, or remove outputs.teamSecretsFile',
        }),
      );
    });
  } else {
    const index = teams.findIndex((team) => (team.recipients ?? []).length > 0);
    if (index >= 0) {
      issues.push(
        issueAt(
          ctx,
          ['teams', index, 'recipients'],
          {
            code: 'team-recipients-unused',
            severity: 'warning',
            message: 'team recipients are used only with outputs.teamSecretsFile',
            hint: 'set outputs.teamSecretsFile (e.g. secrets/{team}.sealed), or remove them',
          },
          'key',
        ),
      );
    }
  }
  return issues;
};
