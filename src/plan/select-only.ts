import type { DesiredToken } from '../manifest/index.js';
import { didYouMean } from '../model/index.js';
import type { PlanProblem, PlanWarning } from './types.js';

/** What `--only` keeps: the declared tokens, and the marker names of live tokens, to check. */
export interface Selection {
  desired: DesiredToken[];
  /** Marker names to look at in the cluster; `null` means every name. */
  names: Set<string> | null;
  problems: PlanProblem[];
  warnings: PlanWarning[];
}

/**
 * Applies `--only NAME` / `--only team:TEAM`. A NAME may also be a managed token that is no
 * longer declared, so `--only old --prune` revokes just that one.
 */
export function selectOnly(
  selectors: readonly string[],
  desired: readonly DesiredToken[],
  managedNames: ReadonlySet<string>,
): Selection {
  if (selectors.length === 0)
    return { desired: [...desired], names: null, problems: [], warnings: [] };
  const problems: PlanProblem[] = [];
  const chosen = new Set<DesiredToken>();
  const names = new Set<string>();
  for (const selector of selectors) {
    if (selector.startsWith('team:')) {
      const team = selector.slice('team:'.length);
      const members = desired.filter((token) => token.team === team);
      if (members.length === 0) {
        const teams = new Set(
          desired.flatMap((token) => (token.team === null ? [] : [token.team])),
        );
        problems.push(problem(selector, `no team "${team}" in the manifest`, team, teams));
      }
      for (const token of members) chosen.add(token);
      continue;
    }
    const token = desired.find((candidate) => candidate.name === selector);
    if (token !== undefined) chosen.add(token);
    else if (managedNames.has(selector)) names.add(selector);
    else {
      const known = new Set([...desired.map((candidate) => candidate.name), ...managedNames]);
      problems.push(
        problem(selector, `no token "${selector}" in the manifest or the cluster`, selector, known),
      );
    }
  }
  for (const token of chosen) {
    names.add(token.name);
    for (const previous of token.previousNames) names.add(previous);
  }
  const kept = desired.filter((token) => chosen.has(token));
  const warnings: PlanWarning[] = [
    {
      code: 'only-selection',
      checked: kept.length,
      declared: desired.length,
      clusterNames: names.size > kept.length,
    },
  ];
  return { desired: kept, names, problems, warnings };
}

function problem(
  selector: string,
  message: string,
  input: string,
  candidates: Iterable<string>,
): PlanProblem {
  const hint = didYouMean(input, candidates);
  return {
    message: `--only ${selector}: ${message}`,
    selector,
    ...(hint === undefined ? {} : { hint }),
  };
}
