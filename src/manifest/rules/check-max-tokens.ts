import { issueAt } from './rule-context.js';
import type { Rule } from './rule-context.js';

/** `policy.maxTokens` caps the expanded count, templates included. */
export const checkMaxTokens: Rule = (ctx) => {
  const max = ctx.manifest.policy?.maxTokens;
  const count = ctx.expansion.entries.length;
  if (max === undefined || count <= max) return [];
  return [
    issueAt(ctx, ['policy', 'maxTokens'], {
      code: 'too-many-tokens',
      message: `the manifest yields ${count} tokens, more than policy.maxTokens (${max})`,
      hint: 'raise policy.maxTokens, or remove tokens or teams',
    }),
  ];
};
