import { didYouMean } from '../../model/index.js';
import {
  DELIVERY_PLACEHOLDERS,
  findDeliveryPlaceholders,
  singleDatabase,
  targetTakes,
} from '../../model/index.js';
import { MAX_DELIVERY_TIMEOUT_MS } from '../build-delivery-targets.js';
import type { PathSegment } from '../locate-node.js';
import { parseDuration } from '../parse-duration.js';
import type { DeliveryTargetSpec, ValidationIssue } from '../types.js';
import { issueAt, type RuleContext } from './rule-context.js';
import type { Rule } from './rule-context.js';

const KNOWN = new Set<string>(DELIVERY_PLACEHOLDERS);

/**
 * `outputs.deliver`: unique target names, declared teams, a deadline of at most an hour, and
 * placeholders that every token the target takes can fill (`{team}` needs a team, `{database}`
 * one database), so a delivery never fails for a reason the manifest already showed. The
 * program (`command[0]`) holds no placeholder: the plan checks that it exists.
 */
export const checkDeliveryTargets: Rule = (ctx) => {
  const issues: ValidationIssue[] = [];
  const teams = (ctx.manifest.teams ?? []).map((team) => team.name);
  const seen = new Set<string>();
  (ctx.manifest.outputs?.deliver ?? []).forEach((target, index) => {
    const base: PathSegment[] = ['outputs', 'deliver', index];
    if (seen.has(target.name)) {
      issues.push(
        issueAt(ctx, [...base, 'name'], {
          code: 'duplicate-delivery-target',
          message: `delivery target ${JSON.stringify(target.name)} is declared twice`,
          hint: 'give each target its own name: delivery records in the secrets file are kept by it',
        }),
      );
    }
    seen.add(target.name);
    (target.teams ?? []).forEach((team, item) => {
      if (teams.includes(team)) return;
      issues.push(
        issueAt(ctx, [...base, 'teams', item], {
          code: 'undefined-team',
          message: `team ${JSON.stringify(team)} is not defined`,
          hint: didYouMean(team, teams) ?? 'declare it under teams:',
        }),
      );
    });
    const timeout = target.timeout === undefined ? null : parseDuration(target.timeout);
    if (timeout !== null && (timeout.ms === 0 || timeout.ms > MAX_DELIVERY_TIMEOUT_MS)) {
      issues.push(
        issueAt(ctx, [...base, 'timeout'], {
          code: 'delivery-timeout',
          message: `the timeout of delivery target ${JSON.stringify(target.name)} must be more than 0s and at most 1h`,
          hint: 'a store that needs longer is better retried later with provision secrets deliver',
        }),
      );
    }
    issues.push(...checkArguments(ctx, target, base));
  });
  return issues;
};

function checkArguments(
  ctx: RuleContext,
  target: DeliveryTargetSpec,
  base: PathSegment[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const reported = new Set<string>();
  target.command.forEach((argument, item) => {
    const path = [...base, 'command', item];
    for (const name of findDeliveryPlaceholders(argument)) {
      if (item === 0) {
        issues.push(
          issueAt(ctx, path, {
            code: 'placeholder-in-program',
            message: `the program of delivery target ${JSON.stringify(target.name)} cannot hold a placeholder ({${name}})`,
            hint: 'name the program itself; pass {name}, {team}, {tokenId} or {database} as later arguments',
          }),
        );
        continue;
      }
      if (!KNOWN.has(name)) {
        issues.push(
          issueAt(ctx, path, {
            code: 'unknown-placeholder',
            message: `unknown placeholder {${name}} in delivery target ${JSON.stringify(target.name)}`,
            hint:
              didYouMean(
                `{${name}}`,
                DELIVERY_PLACEHOLDERS.map((p) => `{${p}}`),
              ) ?? 'use {name}, {team}, {tokenId} or {database}',
          }),
        );
        continue;
      }
      if (reported.has(name)) continue;
      const missing = firstUnfillable(ctx, target, name);
      if (missing === null) continue;
      reported.add(name);
      issues.push(issueAt(ctx, path, missing));
    }
  });
  return issues;
}

/** The first token this target takes that has no value for the placeholder, as a finding. */
function firstUnfillable(ctx: RuleContext, target: DeliveryTargetSpec, placeholder: string) {
  if (placeholder !== 'team' && placeholder !== 'database') return null;
  const taken = { teams: target.teams ?? null };
  for (const { token } of ctx.expansion.entries) {
    if (!targetTakes(taken, token.team)) continue;
    if (placeholder === 'team' && token.team === null) {
      return {
        code: 'delivery-placeholder-unfillable',
        message: `{team} in delivery target ${JSON.stringify(target.name)}, but token ${JSON.stringify(token.name)} has no team`,
        hint: 'list the teams it serves (teams: [...]) or remove {team}',
      };
    }
    if (placeholder === 'database' && singleDatabase(token.permissions) === null) {
      return {
        code: 'delivery-placeholder-unfillable',
        message: `{database} in delivery target ${JSON.stringify(target.name)}, but token ${JSON.stringify(token.name)} does not name exactly one database`,
        hint: 'use {database} only for targets whose tokens each name one database (teams: [...]), or remove it',
      };
    }
  }
  return null;
}
