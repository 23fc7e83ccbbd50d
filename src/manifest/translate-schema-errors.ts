import type { ErrorObject } from 'ajv/dist/2020.js';
import { didYouMean } from '../model/index.js';
import { describePath } from './describe-path.js';
import type { Locate, PathSegment } from './locate-node.js';
import { quoteValue } from './quote-value.js';
import {
  badSetName,
  badValue,
  missingKey,
  unknownKey,
  wrongType,
} from './schema-error-messages.js';
import type { SchemaIssue } from './schema-error-messages.js';
import type { ValidationIssue } from './types.js';

/**
 * Turns ajv's errors into one plain sentence each, at the exact node: the key for unknown
 * keys, the item for list entries, the mapping for missing keys. Wrapper errors that only
 * repeat an inner one (`propertyNames`) are dropped; duplicates are merged.
 */
export function translateSchemaErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  locate: Locate,
): ValidationIssue[] {
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const translated = translateOne(error, data);
    if (translated === null) continue;
    const { path, part, ...rest } = translated;
    const issue: ValidationIssue = { ...locate(path, part), severity: 'error', ...rest };
    const key = `${issue.line}:${issue.column}:${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function translateOne(error: ErrorObject, data: unknown): SchemaIssue | null {
  const path = toPath(error.instancePath, data);
  const subject = describePath(path, data);
  const params = error.params as Record<string, unknown>;
  const value: unknown = error.data;
  switch (error.keyword) {
    case 'additionalProperties':
      return unknownKey(path, String(params.additionalProperty), error.parentSchema, data);
    case 'required':
      return missingKey(path, subject, String(params.missingProperty));
    case 'type':
      return wrongType(path, subject, String(params.type), value);
    case 'pattern':
    case 'format': {
      if (error.propertyName !== undefined) return badSetName(path, error.propertyName);
      return badValue(path, subject, defName(error.schemaPath), params, value);
    }
    case 'const':
      return {
        path,
        code: 'schema',
        message: `${subject} must be ${JSON.stringify(params.allowedValue)}`,
        hint: 'this version of provision reads version 1 manifests',
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
      return {
        path,
        code: 'schema',
        message: `${subject} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
        ...(hint === undefined ? {} : { hint }),
      };
    }
    case 'not':
      return {
        path: [...path, 'expiresAt'],
        part: 'key',
        code: 'expiry-conflict',
        message: `${subject} sets both expiresIn and expiresAt`,
        hint: 'keep one: expiresIn is relative to creation, expiresAt is a fixed time',
      };
    case 'uniqueItems':
      return {
        path: [...path, Number(params.i)],
        code: 'duplicate-entry',
        message: `${subject} lists ${quoteValue(Array.isArray(value) ? value[Number(params.i)] : value)} twice`,
        hint: 'remove the repeated entry',
      };
    case 'maxLength':
    case 'minLength':
      return {
        path,
        code: 'schema',
        message:
          error.keyword === 'maxLength'
            ? `${subject} is longer than ${String(params.limit)} characters`
            : `${subject} is empty`,
      };
    case 'minimum':
      return {
        path,
        code: 'schema',
        message: `${subject} must be at least ${String(params.limit)}`,
      };
    case 'maximum':
      return {
        path,
        code: 'schema',
        message: `${subject} must be at most ${String(params.limit)}`,
      };
    case 'minItems':
    case 'maxItems':
      return {
        path,
        code: 'schema',
        message: `${subject} must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(params.limit)} ${Number(params.limit) === 1 ? 'entry' : 'entries'}`,
      };
    case 'propertyNames':
    case 'if':
      return null; // the inner error names the key, or the branch that failed says why
    default:
      return { path, code: 'schema', message: `${subject} ${error.message ?? 'is not valid'}` };
  }
}

function toPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const path: PathSegment[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(node) ? Number(segment) : undefined;
    path.push(index ?? segment);
    node =
      index === undefined
        ? (node as Record<string, unknown> | undefined)?.[segment]
        : (node as unknown[])[index];
  }
  return path;
}

/**
 * The `$defs` entry an error's keyword belongs to, from its schema path
 * (`#/$defs/tokenName/pattern`): the validator is generated code, so its schema objects are
 * copies, not the parsed schema's own.
 */
function defName(schemaPath: string): string | undefined {
  return /^#\/\$defs\/([^/]+)\/[^/]+$/.exec(schemaPath)?.[1];
}
