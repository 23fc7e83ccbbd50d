import type { ExpandedEntry } from '../expansion-types.js';
import type { PathSegment } from '../locate-node.js';
import { parseDuration } from '../parse-duration.js';
import type { TokenFieldsSpec, ValidationIssue } from '../types.js';
import { describeEntry, issueAt } from './rule-context.js';
import type { Rule, RuleContext } from './rule-context.js';

/**
 * Expiry against the clock and the policy: no expiry in the past, none longer than
 * `policy.maxExpiry`, one on every token under `policy.requireExpiry`.
 */
export const checkExpiry: Rule = (ctx) => {
  const policy = ctx.manifest.policy ?? {};
  const max = policy.maxExpiry === undefined ? null : parseDuration(policy.maxExpiry);
  const issues: ValidationIssue[] = [];
  for (const entry of ctx.expansion.entries) {
    const spec = specOf(ctx, entry);
    const owner = describeEntry(ctx, entry);
    const { expiry } = entry.token;
    const source = expirySource(ctx, entry, spec);
    if (expiry === null) {
      if (policy.requireExpiry !== true) continue;
      const never = spec.expiresIn === 'never';
      issues.push(
        issueAt(ctx, never ? [...entry.path, 'expiresIn'] : entry.path, {
          code: 'expiry-required',
          message: `${owner} ${never ? 'never expires' : 'has no expiry'}, but policy.requireExpiry is set`,
          hint: 'add expiresIn (e.g. 90d) or expiresAt, or set defaults.expiresIn',
        }),
      );
    } else if (expiry.kind === 'at') {
      const msLeft = Date.parse(expiry.at) - ctx.now.getTime();
      if (msLeft <= 0) {
        issues.push(
          issueAt(ctx, source, {
            code: 'expiry-in-past',
            message: `${owner} expires at ${expiry.at}, which is in the past`,
            hint: 'set a future time, or use expiresIn (e.g. 90d)',
          }),
        );
      } else if (max !== null && msLeft > max.ms) {
        issues.push(
          issueAt(ctx, source, {
            code: 'expiry-over-max',
            message: `${owner} expires at ${expiry.at}, more than policy.maxExpiry (${max.text}) from now`,
            hint: `choose a time within ${max.text}`,
          }),
        );
      }
    } else {
      const { duration } = expiry;
      if (max !== null && duration.ms > max.ms) {
        issues.push(
          issueAt(ctx, source, {
            code: 'expiry-over-max',
            // Said once for all the tokens that take their expiry from the defaults.
            message:
              source[0] === 'defaults'
                ? `defaults.expiresIn (${duration.text}) is longer than policy.maxExpiry (${max.text})`
                : `${owner} expires after ${duration.text}, longer than policy.maxExpiry (${max.text})`,
            hint: `use at most ${max.text}`,
          }),
        );
      }
    }
  }
  return issues;
};

/** The token or template as written. */
export function specOf(ctx: RuleContext, entry: ExpandedEntry): TokenFieldsSpec {
  const list = entry.origin.kind === 'token' ? ctx.manifest.tokens : ctx.manifest.templates;
  return list?.[entry.origin.index] ?? {};
}

/** The node that decided the expiry: the token's own field, or `defaults.expiresIn`. */
export function expirySource(
  ctx: RuleContext,
  entry: ExpandedEntry,
  spec: TokenFieldsSpec,
): PathSegment[] {
  if (spec.expiresAt !== undefined) return [...entry.path, 'expiresAt'];
  if (spec.expiresIn !== undefined) return [...entry.path, 'expiresIn'];
  if (ctx.manifest.defaults?.expiresIn !== undefined) return ['defaults', 'expiresIn'];
  return entry.path;
}
