import { createHash } from 'node:crypto';
import { buildDeliveryTargets } from './build-delivery-targets.js';
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

  const validate = getManifestValidator();
  if (!validate(data)) {
    const issues = translateSchemaErrors(validate.errors ?? [], data, locate);
    return { ok: false, issues: sortIssues([...issues, ...parsed.warnings]) };
  }
  const manifest: ManifestDocument = data;
  const expansion = expandManifest(manifest, locate);
  if (expansion.exhausted) {
    return { ok: false, issues: [expansionTooLarge(file)] };
  }
  const ctx: RuleContext = { manifest, expansion, locate, now: options.now };
  const found = dedupeIssues(MANIFEST_RULES.flatMap((rule) => rule(ctx)));
  const issues = sortIssues([...parsed.warnings, ...found]);
  if (issues.some((issue) => issue.severity === 'error')) return { ok: false, issues };

  const teams = manifest.teams ?? [];
  const outputs = manifest.outputs ?? {};
  const expanded: ExpandedManifest = {
    file,
    cluster: { ...manifest.cluster },
    tokens: expansion.entries.map((entry) => entry.token),
    databases: expansion.databases.entries.map((entry) => entry.database),
    teams: teams.map((team) => team.name),
    outputs: {
      secretsFile: outputs.secretsFile ?? 'secrets/tokens.sealed',
      recipients: outputs.recipients ?? [],
      teamSecretsFile: outputs.teamSecretsFile ?? null,
      teamRecipients: Object.fromEntries(teams.map((team) => [team.name, team.recipients ?? []])),
      deliver: buildDeliveryTargets(outputs.deliver ?? [], locate),
    },
    maxRevokes: manifest.policy?.maxRevokes ?? null,
    fingerprint,
  };
  return { ok: true, manifest: expanded, warnings: issues };
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
