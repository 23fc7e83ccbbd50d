import { describePath } from '../describe-path.js';
import type { PathSegment } from '../locate-node.js';
import { isZeroDuration, parseDuration } from '../parse-duration.js';
import type { ValidationIssue } from '../types.js';
import { issueAt } from './rule-context.js';
import type { Rule } from './rule-context.js';

/**
 * The schema checks a duration's shape; this checks its size: longer than zero (except an
 * overlap, where zero means none), at most 100 years (so every date stays representable).
 */
export const checkDurations: Rule = (ctx) => {
  const { manifest } = ctx;
  const fields: [PathSegment[], string | undefined][] = [
    [['defaults', 'expiresIn'], manifest.defaults?.expiresIn],
    [['defaults', 'rotateAfter'], manifest.defaults?.rotateAfter],
    [['defaults', 'overlap'], nonZero(manifest.defaults?.overlap)],
    [['policy', 'maxExpiry'], manifest.policy?.maxExpiry],
  ];
  for (const section of ['tokens', 'templates'] as const) {
    (manifest[section] ?? []).forEach((spec, index) => {
      if (spec.expiresIn !== 'never') fields.push([[section, index, 'expiresIn'], spec.expiresIn]);
      fields.push([[section, index, 'rotateAfter'], spec.rotateAfter]);
      fields.push([[section, index, 'overlap'], nonZero(spec.overlap)]);
    });
  }
  const issues: ValidationIssue[] = [];
  for (const [path, text] of fields) {
    if (text === undefined || parseDuration(text) !== null) continue;
    issues.push(
      issueAt(ctx, path, {
        code: 'duration-out-of-range',
        message: `${describePath(path, manifest)} must be longer than zero and at most 100 years: ${JSON.stringify(text)}`,
        hint: 'e.g. 90d, 12h or 2w',
      }),
    );
  }
  return issues;
};

// An overlap of zero is meaningful (revoke the old token at once); other durations are not.
function nonZero(text: string | undefined): string | undefined {
  return text === undefined || isZeroDuration(text) ? undefined : text;
}
