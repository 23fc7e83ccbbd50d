import type { ValidationIssue } from '../types.js';
import { expirySource, specOf } from './check-expiry.js';
import { describeEntry, issueAt } from './rule-context.js';
import type { Rule } from './rule-context.js';

/**
 * A warning when a token expires before its rotation is due: rotation would never happen,
 * and clients would see the token lapse instead. Reported at the setting to change.
 */
export const checkRotation: Rule = (ctx) => {
  const issues: ValidationIssue[] = [];
  for (const entry of ctx.expansion.entries) {
    const { expiry, rotateAfter } = entry.token;
    if (expiry?.kind !== 'in' || rotateAfter === null || rotateAfter.ms < expiry.duration.ms) {
      continue;
    }
    const spec = specOf(ctx, entry);
    const owner = describeEntry(ctx, entry);
    const expires = expiry.duration.text;
    const hint =
      'make rotateAfter shorter than the expiry, or the token lapses before it is replaced';
    const finding = { code: 'expires-before-rotation', severity: 'warning' as const, hint };
    if (spec.rotateAfter !== undefined) {
      issues.push(
        issueAt(ctx, [...entry.path, 'rotateAfter'], {
          ...finding,
          message: `${owner} expires after ${expires} but is rotated only after ${rotateAfter.text}`,
        }),
      );
    } else if (expirySource(ctx, entry, spec)[0] === 'defaults') {
      // Both from the defaults: one warning, about the defaults.
      issues.push(
        issueAt(ctx, ['defaults', 'rotateAfter'], {
          ...finding,
          message: `defaults.rotateAfter (${rotateAfter.text}) is not shorter than defaults.expiresIn (${expires})`,
        }),
      );
    } else {
      issues.push(
        issueAt(ctx, expirySource(ctx, entry, spec), {
          ...finding,
          message: `${owner} expires after ${expires}, before defaults.rotateAfter (${rotateAfter.text}) would rotate it`,
        }),
      );
    }
  }
  return issues;
};
