import type { DatabaseToken } from '../model/index.js';
import type { DesiredToken } from '../manifest/index.js';
import { claimTokens } from '../plan/index.js';
import { classifyTokens } from '../plan/index.js';
import { samePermissions } from '../plan/index.js';

/** An unmanaged token to adopt under a declared name. */
export interface ImportProposal {
  name: string;
  team: string | null;
  token: DatabaseToken;
}

/** A declared name that more than one way to import makes unsafe: none is proposed. */
export interface AmbiguousImport {
  name: string;
  /** The unmanaged tokens that match it. */
  tokenIds: string[];
  /** Why it is ambiguous, in words. */
  reason: string;
}

/** What `import --all-matching` would do. */
export interface ImportMatches {
  /** Sorted by name. */
  proposals: ImportProposal[];
  /** Sorted by name. */
  ambiguous: AmbiguousImport[];
}

/**
 * Pairs live unmanaged tokens with declared tokens that are missing from the cluster (no
 * live, current managed token holds their name or a previous name) when the description is
 * exactly the declared one (prefix included) and the permissions are the same set. A name
 * matched by two tokens, or a token matching two names, is ambiguous: neither is proposed.
 * Expiry is not compared; the next plan replaces a token whose expiry differs. Pure.
 */
export function findImportMatches(
  desired: readonly DesiredToken[],
  actual: readonly DatabaseToken[],
): ImportMatches {
  const classified = classifyTokens(actual);
  const claims = claimTokens(desired, classified.current);
  const missing = desired.filter((_, index) => (claims.byDesired[index] ?? []).length === 0);

  const tokensByName = new Map<string, DatabaseToken[]>();
  const namesByToken = new Map<string, string[]>();
  for (const token of missing) {
    const matches = classified.unmanaged.filter(
      (candidate) =>
        candidate.description === token.description &&
        samePermissions(candidate.permissions, token.permissions),
    );
    if (matches.length === 0) continue;
    tokensByName.set(token.name, matches);
    for (const match of matches)
      namesByToken.set(match.id, [...(namesByToken.get(match.id) ?? []), token.name]);
  }

  const proposals: ImportProposal[] = [];
  const ambiguous: AmbiguousImport[] = [];
  for (const token of missing) {
    const matches = tokensByName.get(token.name);
    if (matches === undefined) continue;
    const tokenIds = matches.map((match) => match.id).sort();
    const [only] = matches;
    if (matches.length > 1 || only === undefined) {
      ambiguous.push({
        name: token.name,
        tokenIds,
        reason: `${matches.length} unmanaged tokens match it`,
      });
      continue;
    }
    const others = (namesByToken.get(only.id) ?? []).filter((name) => name !== token.name);
    if (others.length > 0) {
      ambiguous.push({
        name: token.name,
        tokenIds,
        reason: `the matching token also matches ${others.join(', ')}`,
      });
      continue;
    }
    proposals.push({ name: token.name, team: token.team, token: only });
  }
  const byName = (a: { name: string }, b: { name: string }): number =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return { proposals: proposals.sort(byName), ambiguous: ambiguous.sort(byName) };
}
