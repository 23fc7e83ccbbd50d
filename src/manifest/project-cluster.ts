import type { Locate, PathSegment } from './locate-node.js';
import type { ManifestDocument, NamedClusterSpec } from './types.js';

/** `{cluster}`: the name of the cluster a several-cluster manifest is being expanded for. */
export const CLUSTER_PLACEHOLDER = '{cluster}';

/**
 * The cluster names of a manifest with a `clusters:` map, in the order written; `null` for
 * any other manifest (or a `clusters:` that is not a map: the schema reports that).
 */
export function clusterNamesOf(data: unknown): string[] | null {
  if (!isRecord(data)) return null;
  const clusters = data.clusters;
  if (!isRecord(clusters)) return null;
  const names = Object.keys(clusters);
  return names.length === 0 ? null : names;
}

/**
 * The document with `{cluster}` replaced by `name` in every string value, outside the
 * `clusters:` map itself. The shape is unchanged (nothing is filtered), so every path, and
 * so every schema error's position, is the written one.
 */
export function fillCluster(data: Record<string, unknown>, name: string): Record<string, unknown> {
  const filled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    filled[key] = key === 'clusters' ? value : fill(value, name);
  }
  return filled;
}

function fill(value: unknown, name: string): unknown {
  if (typeof value === 'string') {
    return value.includes(CLUSTER_PLACEHOLDER)
      ? value.replaceAll(CLUSTER_PLACEHOLDER, name)
      : value;
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, name));
  if (isRecord(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = fill(item, name);
    return copy;
  }
  return value;
}

/** One cluster's share of a several-cluster manifest, and where its nodes are written. */
export interface ClusterProjection {
  /** A one-cluster document: `cluster:` is the named target, no `clusters:` anywhere. */
  manifest: ManifestDocument;
  /** Positions in the file as written, for paths into `manifest`. */
  locate: Locate;
  concurrency: number | null;
}

/**
 * The part of a (filled, schema-valid) several-cluster manifest that belongs to `name`:
 * the tokens, templates, teams, databases and delivery targets that list it or list no
 * clusters. A template, database or delivery target limited to teams none of which is on
 * this cluster is left out; a team name the manifest does not declare at all is kept, so
 * the usual rule still reports it. Every list the projection shortens keeps a map back to
 * the written indices, so issues found in the projection point at the file.
 */
export function projectCluster(
  document: ManifestDocument,
  name: string,
  locate: Locate,
): ClusterProjection {
  const indexMaps = new Map<string, number[]>();
  const belongs = (entry: { clusters?: string[] }): boolean =>
    entry.clusters === undefined || entry.clusters.includes(name);
  const keep = <T extends { clusters?: string[] }>(
    key: string,
    list: readonly T[] | undefined,
    also: (entry: T, index: number) => T | null = (entry) => entry,
  ): T[] | undefined => {
    if (list === undefined) return undefined;
    const kept: T[] = [];
    const written: number[] = [];
    list.forEach((entry, index) => {
      if (!belongs(entry)) return;
      const projected = also(entry, index);
      if (projected === null) return;
      kept.push(withoutClusters(projected));
      written.push(index);
    });
    indexMaps.set(key, written);
    return kept;
  };

  const declaredTeams = new Set((document.teams ?? []).map((team) => team.name));
  const teams = keep('teams', document.teams);
  const present = new Set((teams ?? []).map((team) => team.name));
  // Teams elsewhere in the manifest but not on this cluster drop out of `teams:` lists.
  const narrow = <T extends { teams?: string[] }>(key: string) => {
    return (entry: T, index: number): T | null => {
      if (entry.teams === undefined) return entry;
      const written: number[] = [];
      const listed = entry.teams.filter((team, at) => {
        const stays = present.has(team) || !declaredTeams.has(team);
        if (stays) written.push(at);
        return stays;
      });
      if (listed.length === 0) return null;
      indexMaps.set(`${key}.${index}.teams`, written);
      return { ...entry, teams: listed };
    };
  };

  const { clusters, cluster: _single, outputs, ...rest } = document;
  const target: NamedClusterSpec = clusters?.[name] ?? {};
  const { concurrency, ...spec } = target;
  const manifest: ManifestDocument = { ...rest, cluster: spec };
  const tokens = keep('tokens', document.tokens);
  if (tokens !== undefined) manifest.tokens = tokens;
  const templates = keep('templates', document.templates, narrow('templates'));
  if (templates !== undefined) manifest.templates = templates;
  if (teams !== undefined) manifest.teams = teams;
  const databases = keep('databases', document.databases, narrow('databases'));
  if (databases !== undefined) manifest.databases = databases;
  if (outputs !== undefined) {
    const deliver = keep('outputs.deliver', outputs.deliver, narrow('outputs.deliver'));
    manifest.outputs = { ...outputs, ...(deliver === undefined ? {} : { deliver }) };
  }
  return {
    manifest,
    locate: remapLocate(locate, indexMaps, name),
    concurrency: concurrency ?? null,
  };
}

function withoutClusters<T extends { clusters?: string[] }>(entry: T): T {
  if (entry.clusters === undefined) return entry;
  const { clusters: _clusters, ...rest } = entry;
  return rest as T;
}

/** Paths into the projection, turned into paths into the file as written. */
function remapLocate(locate: Locate, indexMaps: Map<string, number[]>, name: string): Locate {
  return (path, part) => {
    if (path[0] === 'cluster') return locate(['clusters', name, ...path.slice(1)], part);
    const written: PathSegment[] = [];
    for (const segment of path) {
      const map = typeof segment === 'number' ? indexMaps.get(written.join('.')) : undefined;
      written.push(map === undefined ? segment : (map[segment as number] ?? segment));
    }
    return locate(written, part);
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
