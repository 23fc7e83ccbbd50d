import type { DesiredToken } from '../manifest/index.js';
import { didYouMean } from '../model/index.js';
import type { ReplaceContext } from './replace-reason.js';
import type { PlanInput, PlanProblem, PlanWarning } from './types.js';

/** What a replace depends on, from the plan's options. */
export function replaceContext(input: PlanInput): ReplaceContext {
  const window = input.options.expiringWithin;
  return {
    now: input.now,
    replaceNames: new Set(input.options.replace),
    expiringWithinMs: window?.ms ?? null,
    expiringWithinText: window?.text ?? null,
    lostSecretIds: new Set(input.options.lostSecretIds ?? []),
  };
}

/** `--replace` names must be declared; outside an `--only` selection they are ignored. */
export function checkReplaceNames(
  names: readonly string[],
  all: readonly DesiredToken[],
  selected: readonly DesiredToken[],
): { problems: PlanProblem[]; warnings: PlanWarning[] } {
  const declared = new Set(all.map((token) => token.name));
  const inSelection = new Set(selected.map((token) => token.name));
  const problems: PlanProblem[] = [];
  const warnings: PlanWarning[] = [];
  for (const name of names) {
    if (!declared.has(name)) {
      const hint = didYouMean(name, declared);
      const message = `--replace ${name}: no token "${name}" in the manifest`;
      problems.push({ message, selector: name, ...(hint === undefined ? {} : { hint }) });
    } else if (!inSelection.has(name)) {
      warnings.push({ code: 'replace-not-selected', name });
    }
  }
  return { problems, warnings };
}

/** Expiries already past: a token created with one would be born expired. */
// A token created with an expiry in the past would be born expired and replaced forever.
export function checkPastExpiries(desired: readonly DesiredToken[], now: Date): PlanProblem[] {
  return desired.flatMap((token) =>
    token.expiry?.kind === 'at' && Date.parse(token.expiry.at) <= now.getTime()
      ? [
          {
            message: `token "${token.name}" expires at ${token.expiry.at}, which has passed`,
            hint: 'set a later expiry, or a relative one such as 90d',
            source: token.source,
          },
        ]
      : [],
  );
}
