import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { inspectYamlTree } from './inspect-yaml-tree.js';
import { MANIFEST_LIMITS, formatBytes } from './limits.js';
import { createLocator } from './locate-node.js';
import type { Locate } from './locate-node.js';
import {
  dedupeYamlIssues,
  plainMessage,
  tagAt,
  translateYamlError,
} from './translate-yaml-error.js';
import type { ValidationIssue } from './types.js';

/** A manifest read as YAML: plain data plus the means to find where each value is written. */
export interface ParsedManifestYaml {
  data: unknown;
  locate: Locate;
}

export type ParseOutcome =
  | { ok: true; parsed: ParsedManifestYaml; warnings: ValidationIssue[] }
  | { ok: false; issues: ValidationIssue[] };

/**
 * Parses the text as exactly one YAML 1.2 document with positions, refusing what a manifest
 * never needs and an attacker would use: oversized input, duplicate keys, several
 * documents, custom tags, deep nesting and alias bombs. Never throws for bad input.
 */
export function parseManifestYaml(source: string, file: string): ParseOutcome {
  // A byte order mark is not content; editors on some systems add one.
  const text = source.startsWith('\ufeff') ? source.slice(1) : source;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MANIFEST_LIMITS.maxFileBytes) {
    return { ok: false, issues: [fileTooLarge(file, bytes)] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    // Duplicate keys are refused by inspectYamlTree, in linear time.
    uniqueKeys: false,
    strict: true,
    version: '1.2',
    merge: false,
  });
  const issue = (offset: number, code: string, message: string, hint?: string): ValidationIssue => {
    const { line, col } = lineCounter.linePos(offset);
    return {
      file,
      line: Math.max(line, 1),
      column: line === 0 ? 1 : col,
      severity: 'error',
      code,
      message,
      ...(hint === undefined ? {} : { hint }),
    };
  };

  const issues = dedupeYamlIssues(
    doc.errors
      .slice(0, MANIFEST_LIMITS.maxSyntaxErrors)
      .map((error) => translateYamlError(error, text, issue)),
  );
  if (doc.errors.length > MANIFEST_LIMITS.maxSyntaxErrors) {
    const more = doc.errors.length - MANIFEST_LIMITS.maxSyntaxErrors;
    issues.push(issue(text.length, 'yaml', `and ${more} more YAML errors`));
  }
  const warnings: ValidationIssue[] = [];
  for (const warning of doc.warnings) {
    if (warning.code === 'TAG_RESOLVE_FAILED') {
      issues.push(
        issue(
          warning.pos[0],
          'yaml-tag',
          `unsupported YAML tag ${tagAt(text, warning.pos[0])}`,
          'remove it: a manifest holds plain strings, numbers, booleans, lists and mappings',
        ),
      );
    } else {
      warnings.push({
        ...issue(warning.pos[0], 'yaml', plainMessage(warning.message)),
        severity: 'warning',
      });
    }
  }
  if (issues.length > 0) return { ok: false, issues };

  const inspection = inspectYamlTree(doc.contents);
  if (inspection.problems.length > 0) {
    return {
      ok: false,
      issues: inspection.problems.map((p) => issue(p.offset, p.code, p.message, p.hint)),
    };
  }
  const data = toPlainData(doc);
  if (data instanceof Error) {
    return { ok: false, issues: [issue(0, 'alias-bomb', data.message, 'use fewer aliases')] };
  }
  return {
    ok: true,
    parsed: { data, locate: createLocator(file, doc, lineCounter, inspection.aliasTargets) },
    warnings,
  };
}

function toPlainData(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: MANIFEST_LIMITS.maxAliasExpansion });
  } catch (error) {
    // yaml's own alias guard; inspectYamlTree should have refused the file first.
    if (error instanceof ReferenceError) {
      return new Error('aliases in this file expand too much (alias bomb)');
    }
    throw error;
  }
}

function fileTooLarge(file: string, bytes: number): ValidationIssue {
  return {
    file,
    line: 0,
    column: 0,
    severity: 'error',
    code: 'file-too-large',
    message: `file is ${formatBytes(bytes)}; the limit is ${formatBytes(MANIFEST_LIMITS.maxFileBytes)}`,
    hint: 'split the manifest, or onboard teams with templates instead of listing every token',
  };
}
