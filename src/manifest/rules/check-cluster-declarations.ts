import { didYouMean, managementTokenVariable } from '../../model/index.js';
import type { Locate, PathSegment } from '../locate-node.js';
import { CLUSTER_PLACEHOLDER } from '../project-cluster.js';
import type { ManifestDocument, ValidationIssue } from '../types.js';
import { issueAtPosition } from './rule-context.js';

const LISTS = ['tokens', 'templates', 'teams', 'databases'] as const;

/**
 * What only the whole manifest can say about its clusters, before any cluster's share is
 * expanded: `cluster:` beside `clusters:`, a `clusters:` list naming a cluster that is not
 * declared (or any `clusters:` list without the map), two names with one variable, and
 * secrets files shared by clusters.
 */
export function checkClusterDeclarations(
  manifest: ManifestDocument,
  locate: Locate,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (path: PathSegment[], part: 'key' | 'value' = 'value') => locate(path, part);
  const names = manifest.clusters === undefined ? null : Object.keys(manifest.clusters);
  const lists: { path: PathSegment[]; clusters: string[] }[] = [];
  for (const key of LISTS) {
    (manifest[key] ?? []).forEach((entry, index) => {
      if (entry.clusters !== undefined)
        lists.push({ path: [key, index], clusters: entry.clusters });
    });
  }
  (manifest.outputs?.deliver ?? []).forEach((entry, index) => {
    if (entry.clusters !== undefined) {
      lists.push({ path: ['outputs', 'deliver', index], clusters: entry.clusters });
    }
  });

  if (names === null) {
    for (const list of lists) {
      issues.push(
        issueAtPosition(at([...list.path, 'clusters'], 'key'), {
          code: 'no-clusters',
          message: 'clusters: lists clusters, but the manifest has no clusters: map',
          hint: 'name the clusters at the top (clusters: {staging: {...}, production: {...}}), or remove this list',
        }),
      );
    }
    return issues;
  }

  if (manifest.cluster !== undefined) {
    issues.push(
      issueAtPosition(at(['cluster'], 'key'), {
        code: 'cluster-and-clusters',
        message: 'cluster: and clusters: cannot both be given',
        hint: 'move this target into clusters: under a name, e.g. clusters: {production: {...}}',
      }),
    );
  }
  for (const list of lists) {
    list.clusters.forEach((cluster, index) => {
      if (names.includes(cluster)) return;
      const hint = didYouMean(cluster, names);
      issues.push(
        issueAtPosition(at([...list.path, 'clusters', index]), {
          code: 'unknown-cluster',
          message: `no cluster ${JSON.stringify(cluster)} in clusters: (${names.join(', ')})`,
          hint: hint ?? `add it to clusters:, or write one of ${names.join(', ')}`,
        }),
      );
    });
  }
  const byVariable = new Map<string, string>();
  for (const name of names) {
    const variable = managementTokenVariable(name);
    const first = byVariable.get(variable);
    if (first === undefined) {
      byVariable.set(variable, name);
      continue;
    }
    issues.push(
      issueAtPosition(at(['clusters', name], 'key'), {
        code: 'cluster-variable-clash',
        message: `clusters ${JSON.stringify(first)} and ${JSON.stringify(name)} would share ${variable}`,
        hint: 'rename one: "-" and "_" both become "_" in the variable names',
      }),
    );
  }
  for (const key of ['secretsFile', 'teamSecretsFile'] as const) {
    const path = manifest.outputs?.[key];
    if (path === undefined || path.includes(CLUSTER_PLACEHOLDER)) continue;
    issues.push(
      issueAtPosition(at(['outputs', key]), {
        code: 'secrets-file-per-cluster',
        message: `outputs.${key} must contain {cluster} in a manifest with clusters:`,
        hint: `token names are unique within a cluster only, so each cluster seals to its own file: e.g. ${key === 'secretsFile' ? 'secrets/{cluster}/tokens.sealed' : 'secrets/{cluster}/{team}.sealed'}`,
      }),
    );
  }
  return issues;
}

/**
 * `{cluster}` in a manifest without `clusters:`: said plainly, at every place, instead of
 * as a name or path the schema does not accept.
 */
export function findStrayClusterPlaceholders(data: unknown, locate: Locate): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const visit = (value: unknown, path: PathSegment[]): void => {
    if (typeof value === 'string') {
      if (!value.includes(CLUSTER_PLACEHOLDER)) return;
      issues.push(
        issueAtPosition(locate(path), {
          code: 'no-clusters',
          message: '{cluster} is filled in only in a manifest with clusters:',
          hint: 'name the clusters at the top (clusters: {staging: {...}, production: {...}}), or write the value out',
        }),
      );
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        visit(item, [...path, index]);
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(data, []);
  return issues;
}
