import type { ExpandedEntry, Expansion } from '../expansion-types.js';
import type { Locate, PathSegment } from '../locate-node.js';
import type { ManifestDocument, SourcePosition, ValidationIssue } from '../types.js';

/** Everything a semantic rule may look at. Rules run only on schema-valid manifests. */
export interface RuleContext {
  manifest: ManifestDocument;
  expansion: Expansion;
  locate: Locate;
  /** The time expiry is judged against; passed in, never read from the clock. */
  now: Date;
}

/** One semantic check: a small pure function from the manifest to its problems. */
export type Rule = (ctx: RuleContext) => ValidationIssue[];

/** What a rule says about one node. */
export interface Finding {
  code: string;
  message: string;
  hint?: string | undefined;
  severity?: 'error' | 'warning';
}

/** An issue at a manifest path (`part: 'key'` points at the key instead of the value). */
export function issueAt(
  ctx: RuleContext,
  path: readonly PathSegment[],
  finding: Finding,
  part: 'key' | 'value' = 'value',
): ValidationIssue {
  return issueAtPosition(ctx.locate(path, part), finding);
}

/** An issue at a position already known (e.g. a grant's). */
export function issueAtPosition(position: SourcePosition, finding: Finding): ValidationIssue {
  const { hint, severity = 'error', ...rest } = finding;
  return { ...position, severity, ...rest, ...(hint === undefined ? {} : { hint }) };
}

/**
 * `token "grafana"` or `template "{team}-reader"`: expanded template tokens are reported
 * against the template the user wrote.
 */
export function describeEntry(ctx: RuleContext, entry: ExpandedEntry): string {
  if (entry.origin.kind === 'token') return `token ${JSON.stringify(entry.token.name)}`;
  const template = ctx.manifest.templates?.[entry.origin.index];
  return `template ${JSON.stringify(template?.name ?? entry.token.name)}`;
}

/** ` for team "payments"` (and database) when the entry came from a template. */
export function describeExpansion(entry: ExpandedEntry): string {
  if (entry.origin.kind === 'token') return '';
  const database =
    entry.origin.database === null ? '' : ` and database ${JSON.stringify(entry.origin.database)}`;
  return ` for team ${JSON.stringify(entry.origin.team)}${database}`;
}
