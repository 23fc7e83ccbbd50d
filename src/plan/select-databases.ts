import type { DesiredDatabase, DesiredToken } from '../manifest/index.js';

/**
 * The declared databases `--only` keeps: those of the teams selected with `team:TEAM`, and
 * every one a selected token reads or writes (it must exist before that token is made).
 * Without `--only`, all of them.
 */
export function selectDatabases(
  selectors: readonly string[],
  declared: readonly DesiredDatabase[],
  selectedTokens: readonly DesiredToken[],
): DesiredDatabase[] {
  if (selectors.length === 0) return [...declared];
  const teams = new Set(
    selectors.filter((s) => s.startsWith('team:')).map((s) => s.slice('team:'.length)),
  );
  const needed = new Set(selectedTokens.flatMap((token) => token.databases.map((d) => d.database)));
  return declared.filter(
    (database) => needed.has(database.name) || (database.team !== null && teams.has(database.team)),
  );
}
