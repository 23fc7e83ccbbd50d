import { createHash } from 'node:crypto';
import { buildDeliveryTargets } from './build-delivery-targets.js';
import type { Locate } from './locate-node.js';
import { clusterNamesOf, fillCluster, projectCluster } from './project-cluster.js';
import {
  checkClusterDeclarations,
  findStrayClusterPlaceholders,
} from './rules/check-cluster-declarations.js';
import { expandManifest } from './expand-manifest.js';
import { MANIFEST_LIMITS } from './limits.js';
import { parseManifestYaml } from './parse-manifest-yaml.js';
import { MANIFEST_RULES } from './rules/manifest-rules.js';
import type { RuleContext } from './rules/rule-context.js';
import { getManifestValidator } from './schema-validator.js';
import { translateSchemaErrors } from './translate-schema-errors.js';
import type {
  ExpandedManifest,
  ManifestDocument,
  ManifestResult,
  ValidationIssue,
} from './types.js';

/** Options of a validation run. */
export interface ValidateOptions {
  /** The time expiries are judged against (the CLI passes the clock; tests a fixed date). */
  now: Date;
}

/**
 * Validates manifest text without touching the file system or the clock: YAML, then the
 * JSON Schema, then (only on a schema-valid manifest) expansion and the semantic rules,
 * which judge the expanded tokens. `file` is the label used in every issue. Never throws
 * for bad input.
 */
export function validateManifestText(
  text: string,
  file: string,
  options: ValidateOptions,
): ManifestResult {
  return validateManifestSource(text, file, options, sha256(text));
}

/** As `validateManifestText`, with the fingerprint of the exact bytes read from disk. */
export function validateManifestSource(
  text: string,
  file: string,
  options: ValidateOptions,
  fingerprint: string,
): ManifestResult {
  const parsed = parseManifestYaml(text, file);
  if (!parsed.ok) return { ok: false, issues: sortIssues(parsed.issues) };
  const { data, locate } = parsed.parsed;
  const names = clusterNamesOf(data);
  if (names !== null && isRecord(data)) {
    return validateClusters(
      data,
      names,
      { file, fingerprint, locate, now: options.now },
      parsed.warnings,
    );
  }

  const stray = findStrayClusterPlaceholders(data, locate);
  const validate = getManifestValidator();
  if (!validate(data) || stray.length > 0) {
    const at = new Set(stray.map(positionKey));
    const issues = translateSchemaErrors(validate.errors ?? [], data, locate).filter(
      (issue) => !at.has(positionKey(issue)),
    );
    return { ok: false, issues: sortIssues([...stray, ...issues, ...parsed.warnings]) };
  }
  const manifest: ManifestDocument = data;
  const declared = checkClusterDeclarations(manifest, locate);
  const one = expandOne(manifest, locate, { file, fingerprint, now: options.now }, null, null);
  if ('tooLarge' in one) return { ok: false, issues: [expansionTooLarge(file)] };
  const issues = sortIssues([...parsed.warnings, ...declared, ...one.issues]);
  if (issues.some((issue) => issue.severity === 'error')) return { ok: false, issues };
  return { ok: true, manifest: one.manifest, clusters: [one.manifest], warnings: issues };
}

interface Source {
  file: string;
  fingerprint: string;
  now: Date;
}

/**
 * A manifest with `clusters:`: the schema judges it once per cluster with `{cluster}`
 * filled in (the shape is the written one, so positions are too), the whole-manifest
 * cluster checks run once, then each cluster's share is expanded and judged by the usual
 * rules. An issue found for some clusters only says which.
 */
function validateClusters(
  data: Record<string, unknown>,
  names: readonly string[],
  source: Source & { locate: Locate },
  warnings: ValidationIssue[],
): ManifestResult {
  const { locate } = source;
  const validate = getManifestValidator();
  const filled = new Map<string, ManifestDocument>();
  const schemaIssues: ValidationIssue[][] = [];
  for (const name of names) {
    const document = fillCluster(data, name);
    if (validate(document)) filled.set(name, document);
    else schemaIssues.push(translateSchemaErrors(validate.errors ?? [], document, locate));
  }
  if (schemaIssues.length > 0) {
    return { ok: false, issues: sortIssues([...mergeIssues(schemaIssues, names), ...warnings]) };
  }
  const declared = checkClusterDeclarations(data as unknown as ManifestDocument, locate);
  if (declared.some((issue) => issue.severity === 'error')) {
    return { ok: false, issues: sortIssues([...warnings, ...declared]) };
  }
  const perCluster: ValidationIssue[][] = [];
  const clusters: ExpandedManifest[] = [];
  for (const name of names) {
    const document = filled.get(name);
    if (document === undefined) continue;
    const projection = projectCluster(document, name, locate);
    const one = expandOne(
      projection.manifest,
      projection.locate,
      source,
      name,
      projection.concurrency,
    );
    if ('tooLarge' in one) return { ok: false, issues: [expansionTooLarge(source.file)] };
    perCluster.push(one.issues);
    clusters.push(one.manifest);
  }
  const issues = sortIssues([...warnings, ...declared, ...mergeIssues(perCluster, names)]);
  if (issues.some((issue) => issue.severity === 'error')) return { ok: false, issues };
  return { ok: true, manifest: null, clusters, warnings: issues };
}

/** One cluster's (or a one-cluster manifest's) expansion, its rule issues and its result. */
function expandOne(
  manifest: ManifestDocument,
  locate: Locate,
  source: Source,
  clusterName: string | null,
  concurrency: number | null,
): { manifest: ExpandedManifest; issues: ValidationIssue[] } | { tooLarge: true } {
  const expansion = expandManifest(manifest, locate);
  if (expansion.exhausted) return { tooLarge: true };
  const ctx: RuleContext = { manifest, expansion, locate, now: source.now };
  const issues = dedupeIssues(MANIFEST_RULES.flatMap((rule) => rule(ctx)));
  const teams = manifest.teams ?? [];
  const outputs = manifest.outputs ?? {};
  const defaultSecretsFile =
    clusterName === null ? 'secrets/tokens.sealed' : `secrets/${clusterName}/tokens.sealed`;
  return {
    issues,
    manifest: {
      file: source.file,
      cluster: { ...manifest.cluster },
      clusterName,
      concurrency,
      tokens: expansion.entries.map((entry) => entry.token),
      databases: expansion.databases.entries.map((entry) => entry.database),
      teams: teams.map((team) => team.name),
      outputs: {
        secretsFile: outputs.secretsFile ?? defaultSecretsFile,
        recipients: outputs.recipients ?? [],
        teamSecretsFile: outputs.teamSecretsFile ?? null,
        teamRecipients: Object.fromEntries(teams.map((team) => [team.name, team.recipients ?? []])),
        deliver: buildDeliveryTargets(outputs.deliver ?? [], locate),
      },
      maxRevokes: manifest.policy?.maxRevokes ?? null,
      fingerprint: source.fingerprint,
    },
  };
}

/**
 * The issues of every cluster, each once: one found at the same place for only some of
 * the clusters says for which (its words may name values with `{cluster}` filled in).
 */
function mergeIssues(
  lists: readonly ValidationIssue[][],
  names: readonly string[],
): ValidationIssue[] {
  if (lists.length === 1) return lists[0] ?? [];
  const found = new Map<string, { issue: ValidationIssue; clusters: string[] }>();
  lists.forEach((issues, index) => {
    for (const issue of issues) {
      const key = `${positionKey(issue)}:${issue.code}`;
      const seen = found.get(key);
      if (seen === undefined) found.set(key, { issue, clusters: [names[index] ?? ''] });
      else if (!seen.clusters.includes(names[index] ?? '')) seen.clusters.push(names[index] ?? '');
    }
  });
  return [...found.values()].map(({ issue, clusters }) =>
    clusters.length === names.length || lists.length < names.length
      ? issue
      : {
          ...issue,
          message: `${issue.message} (cluster${clusters.length === 1 ? '' : 's'} ${clusters.join(', ')})`,
        },
  );
}

function positionKey(issue: ValidationIssue): string {
  return `${issue.line}:${issue.column}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** sha256 hex of the UTF-8 bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** By line, then column; file-level issues (line 0) first. Stable for equal positions. */
export function sortIssues(issues: ValidationIssue[]): ValidationIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.index - b.index,
    )
    .map(({ issue }) => issue);
}

// Template tokens can repeat their template's problem once per team; say it once.
function dedupeIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.line}:${issue.column}:${issue.code}:${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function expansionTooLarge(file: string): ValidationIssue {
  return {
    file,
    line: 0,
    column: 0,
    severity: 'error',
    code: 'expansion-too-large',
    message: `the manifest expands to more than ${MANIFEST_LIMITS.maxExpandedTokens} tokens or ${MANIFEST_LIMITS.maxExpandedGrants} permissions`,
    hint: 'split it into several manifests, or grant "*" instead of listing every database',
  };
}
