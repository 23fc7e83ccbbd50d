import type { DatabaseSettings } from '../model/index.js';
import type { Locate, PathSegment } from './locate-node.js';
import { parseDuration } from './parse-duration.js';
import { substitutePlaceholders } from './substitute-placeholders.js';
import type {
  DatabaseSettingsSpec,
  DesiredDatabase,
  ManifestDocument,
  TeamDatabaseSpec,
} from './types.js';

/** One declared database and what the rules need to explain it. */
export interface DatabaseEntry {
  database: DesiredDatabase;
  /** The declaring node: `['databases', i]` or `['teams', t, 'databases', j]`. */
  path: PathSegment[];
  /** `{team}` entries: the team it was stamped out for. */
  templateTeam: string | null;
}

/** The declared databases, and each team's database names (for `{database}` in templates). */
export interface DatabaseExpansion {
  entries: DatabaseEntry[];
  /** Per entry of `teams:` (same index): its own databases, then the `{team}` entries for it. */
  perTeam: string[][];
}

const NS_PER_MS = 1_000_000;

/**
 * Expands the manifest's databases: top-level entries in file order (an entry with `{team}`
 * once per team it applies to), then each team's own list; `defaults.database` fills in what
 * an entry leaves out. Pure; tolerates what the rules report (bad durations, duplicates).
 */
export function expandDatabases(manifest: ManifestDocument, locate: Locate): DatabaseExpansion {
  const defaults = manifest.defaults?.database ?? {};
  const teams = manifest.teams ?? [];
  const entries: DatabaseEntry[] = [];
  const perTeam = teams.map((): string[] => []);
  const own: DatabaseEntry[] = [];
  teams.forEach((team, t) => {
    (team.databases ?? []).forEach((item, j) => {
      const spec: TeamDatabaseSpec = typeof item === 'string' ? { name: item } : item;
      const path: PathSegment[] = ['teams', t, 'databases', j];
      own.push({
        database: build(spec.name, team.name, spec, defaults, locate(path)),
        path,
        templateTeam: null,
      });
      perTeam[t]?.push(spec.name);
    });
  });
  (manifest.databases ?? []).forEach((spec, index) => {
    const path: PathSegment[] = ['databases', index];
    const source = locate(path);
    if (!spec.name.includes('{team}')) {
      entries.push({
        database: build(spec.name, null, spec, defaults, source),
        path,
        templateTeam: null,
      });
      return;
    }
    const wanted = spec.teams === undefined ? null : new Set(spec.teams);
    teams.forEach((team, t) => {
      if (wanted !== null && !wanted.has(team.name)) return;
      const name = substitutePlaceholders(spec.name, { team: team.name }, 'text');
      entries.push({
        database: build(name, team.name, spec, defaults, source),
        path,
        templateTeam: team.name,
      });
      perTeam[t]?.push(name);
    });
  });
  for (const entry of own) entries.push(entry);
  return { entries, perTeam };
}

function build(
  name: string,
  team: string | null,
  spec: DatabaseSettingsSpec,
  defaults: DatabaseSettingsSpec,
  source: DesiredDatabase['source'],
): DesiredDatabase {
  const merged: DatabaseSettingsSpec = { ...defaults, ...definedOnly(spec) };
  const settings: DatabaseSettings = {};
  const retention = retentionNs(merged.retentionPeriod);
  if (retention !== undefined) settings.retentionPeriod = retention;
  if (merged.maxTables !== undefined) settings.maxTables = merged.maxTables;
  if (merged.maxColumnsPerTable !== undefined)
    settings.maxColumnsPerTable = merged.maxColumnsPerTable;
  if (merged.partitionTemplate !== undefined) {
    settings.partitionTemplate = merged.partitionTemplate.map((part) =>
      part.type === 'bucket' ? { type: 'bucket', value: { ...part.value } } : { ...part },
    );
  }
  const database: DesiredDatabase = { name, team, settings, source };
  if (retention !== undefined && merged.retentionPeriod !== undefined) {
    database.retentionText = merged.retentionPeriod;
  }
  return database;
}

/** `infinite` → 0; a duration → nanoseconds; anything else (the rules report it) → undefined. */
export function retentionNs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text === 'infinite') return 0;
  const duration = parseDuration(text);
  // Whole seconds in ms times 10^6: exact in a double up to 2^62 ns (146 years).
  return duration === null ? undefined : duration.ms * NS_PER_MS;
}

function definedOnly(spec: DatabaseSettingsSpec): DatabaseSettingsSpec {
  const result: DatabaseSettingsSpec = {};
  if (spec.retentionPeriod !== undefined) result.retentionPeriod = spec.retentionPeriod;
  if (spec.maxTables !== undefined) result.maxTables = spec.maxTables;
  if (spec.maxColumnsPerTable !== undefined) result.maxColumnsPerTable = spec.maxColumnsPerTable;
  if (spec.partitionTemplate !== undefined) result.partitionTemplate = spec.partitionTemplate;
  return result;
}
