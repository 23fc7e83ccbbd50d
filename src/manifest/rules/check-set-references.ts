import { closestMatch, didYouMean } from '../../model/index.js';
import type { PathSegment } from '../locate-node.js';
import type { ValidationIssue } from '../types.js';
import { issueAt } from './rule-context.js';
import type { Rule, RuleContext } from './rule-context.js';

/**
 * Every set named in `sets:` or `include:` must be declared; includes must not loop; a set
 * nobody uses is probably a leftover (warning).
 */
export const checkSetReferences: Rule = (ctx) => {
  const sets = ctx.manifest.permissionSets ?? {};
  const declared = Object.keys(sets);
  const used = new Set<string>();
  const issues: ValidationIssue[] = [];

  const check = (name: string, path: PathSegment[]): void => {
    used.add(name);
    if (Object.hasOwn(sets, name)) return;
    // The set a typo meant is not "unused": do not warn about it as well.
    const meant = closestMatch(name, declared);
    if (meant !== undefined) used.add(meant);
    const hint =
      didYouMean(name, declared) ??
      (declared.length === 0
        ? 'declare it under permissionSets:'
        : `declared sets: ${declared.slice(0, 8).join(', ')}`);
    issues.push(
      issueAt(ctx, path, {
        code: 'undefined-set',
        message: `permission set ${JSON.stringify(name)} is not defined`,
        hint,
      }),
    );
  };

  for (const [name, set] of Object.entries(sets)) {
    (set.include ?? []).forEach((included, index) => {
      check(included, ['permissionSets', name, 'include', index]);
    });
  }
  for (const section of ['tokens', 'templates'] as const) {
    (ctx.manifest[section] ?? []).forEach((spec, index) => {
      (spec.sets ?? []).forEach((set, item) => {
        check(set, [section, index, 'sets', item]);
      });
    });
  }
  issues.push(...findIncludeCycles(ctx));
  for (const name of declared) {
    if (used.has(name)) continue;
    issues.push(
      issueAt(
        ctx,
        ['permissionSets', name],
        {
          code: 'unused-set',
          severity: 'warning',
          message: `permission set ${JSON.stringify(name)} is never used`,
          hint: 'refer to it from a token, template or another set, or delete it',
        },
        'key',
      ),
    );
  }
  return issues;
};

/**
 * Depth-first search over includes, without recursion (chains may be long); each cycle is
 * reported once, at the include that closes it.
 */
function findIncludeCycles(ctx: RuleContext): ValidationIssue[] {
  const sets = ctx.manifest.permissionSets ?? {};
  const state = new Map<string, 'open' | 'done'>();
  const issues: ValidationIssue[] = [];
  for (const root of Object.keys(sets)) {
    if (state.has(root)) continue;
    state.set(root, 'open');
    const stack = [{ name: root, next: 0 }];
    for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
      const index = frame.next;
      const included = sets[frame.name]?.include?.[index];
      if (included === undefined) {
        stack.pop();
        state.set(frame.name, 'done');
        continue;
      }
      frame.next += 1;
      if (!Object.hasOwn(sets, included)) continue;
      const seen = state.get(included);
      if (seen === undefined) {
        state.set(included, 'open');
        stack.push({ name: included, next: 0 });
      } else if (seen === 'open') {
        const names = stack.map((f) => f.name);
        const loop = [...names.slice(names.indexOf(included)), included];
        const shown = loop.length > 8 ? [...loop.slice(0, 4), '…', ...loop.slice(-3)] : loop;
        issues.push(
          issueAt(ctx, ['permissionSets', frame.name, 'include', index], {
            code: 'set-cycle',
            message: `permission set ${JSON.stringify(included)} includes itself: ${shown.join(' → ')}`,
            hint: 'remove one include from the loop',
          }),
        );
      }
    }
  }
  return issues;
}
