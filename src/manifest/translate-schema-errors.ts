import type { ErrorObject } from 'ajv/dist/2020.js';
import { didYouMean } from './closest-match.js';
import { describeContainer, describePath } from './describe-path.js';
import type { Locate, PathSegment } from './locate-node.js';
import { PATTERN_MESSAGES } from './pattern-messages.js';
import { quoteValue, typeWord } from './quote-value.js';
import { getManifestSchema } from './schema-validator.js';
import type { ValidationIssue } from './types.js';

type Issue = Omit<ValidationIssue, 'file' | 'line' | 'column' | 'severity'> & {
  path: PathSegment[];
  part?: 'key' | 'value';
};

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

function translateOne(error: ErrorObject, data: unknown): Issue | null {
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
      return badValue(path, subject, defName(error.parentSchema), params, value);
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
    case 'propertyNames':
      return null; // the inner error names the key
    default:
      return { path, code: 'schema', message: `${subject} ${error.message ?? 'is not valid'}` };
  }
}

// Keys that suggest someone is about to commit a credential.
const SECRET_KEY = /^(management[-_]?)?token$|secret|password|credential|api[-_]?key/i;

function unknownKey(path: PathSegment[], key: string, parent: unknown, data: unknown): Issue {
  const where = [...path, key];
  if (SECRET_KEY.test(key) && !(path.length === 0 && key === 'token')) {
    return {
      path: where,
      part: 'key',
      code: 'management-token-in-manifest',
      message: 'the management token is never read from the manifest',
      hint: 'delete this key; set INFLUX_MANAGEMENT_TOKEN or pass --management-token-file',
    };
  }
  if (key === '<<') {
    return {
      path: where,
      part: 'key',
      code: 'unknown-key',
      message: `YAML merge keys (<<) are not supported ${describeContainer(path, data)}`,
      hint: 'share values with permissionSets, templates or defaults instead',
    };
  }
  const allowed = Object.keys(propertiesOf(parent));
  return {
    path: where,
    part: 'key',
    code: 'unknown-key',
    message: `unknown key ${JSON.stringify(key)} ${describeContainer(path, data)}`,
    hint: didYouMean(key, allowed) ?? `expected one of: ${allowed.join(', ')}`,
  };
}

function missingKey(path: PathSegment[], subject: string, key: string): Issue {
  const hints: Record<string, string> = {
    version: 'add "version: 1" as the first line',
    name: 'add a name: lowercase letters, digits, ".", "_" and "-"',
  };
  return {
    path,
    code: 'missing-key',
    message: `${subject} is missing ${JSON.stringify(key)}`,
    ...(hints[key] === undefined ? {} : { hint: hints[key] }),
  };
}

function wrongType(path: PathSegment[], subject: string, expected: string, value: unknown): Issue {
  if (path.length === 0) {
    return {
      path,
      code: 'not-a-manifest',
      message: value === null ? 'the manifest is empty' : 'the manifest must be a mapping',
      hint: 'start with "version: 1", then tokens:, teams: or templates: (see examples/)',
    };
  }
  const base = { path, code: 'wrong-type' };
  if (value === null) {
    const hint =
      expected === 'array'
        ? 'write [] for an empty list, or remove the key'
        : 'give it a value, or remove the key';
    return { ...base, message: `${subject} is empty; it must be ${typeWord(expected)}`, hint };
  }
  let hint: string | undefined;
  if (expected === 'array' && typeof value === 'string')
    hint = `write it as a list: [${JSON.stringify(value)}]`;
  else if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean'))
    hint = `quote it: "${String(value)}"`;
  else if (expected === 'boolean' && typeof value === 'string')
    hint = 'write true or false, without quotes';
  return {
    ...base,
    message: `${subject} must be ${typeWord(expected)}, not ${quoteValue(value)}`,
    ...(hint === undefined ? {} : { hint }),
  };
}

const NAMES: Record<string, string> = {
  tokenName: 'token',
  teamName: 'team',
  setName: 'permission set',
};
const LIMITED = new Set(['tokenName', 'teamName', 'setName', 'databaseName', 'databaseOrWildcard']);

function badValue(
  path: PathSegment[],
  subject: string,
  def: string | undefined,
  params: Record<string, unknown>,
  value: unknown,
): Issue {
  const message = PATTERN_MESSAGES[def ?? ''];
  const format = typeof params.format === 'string' ? params.format : 'value';
  const what = message?.what ?? `a valid ${format}`;
  const hint = message?.hint;
  const entity = NAMES[def ?? ''];
  const text = typeof value === 'string' ? value : '';
  if (def !== undefined && LIMITED.has(def) && [...text].length > 64) {
    return {
      path,
      code: 'schema',
      message: `${subject} is longer than 64 characters (${[...text].length})`,
      ...(hint === undefined ? {} : { hint }),
    };
  }
  if (entity !== undefined && path[path.length - 1] === 'name') {
    // The name itself is what is wrong, so name it plainly and suggest a valid spelling.
    const suggestion = suggestName(text);
    return {
      path,
      code: 'schema',
      message: `${entity} name ${quoteValue(value)} is not valid`,
      hint:
        suggestion === undefined
          ? (hint ?? '')
          : `did you mean ${JSON.stringify(suggestion)}? (${hint ?? ''})`,
    };
  }
  return {
    path,
    code: 'schema',
    message: `${subject} is not ${what}: ${quoteValue(value)}`,
    ...(hint === undefined ? {} : { hint }),
  };
}

function suggestName(text: string): string | undefined {
  const suggestion = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64);
  return suggestion !== '' && suggestion !== text ? suggestion : undefined;
}

function badSetName(path: PathSegment[], name: string): Issue {
  return {
    path: [...path, name],
    part: 'key',
    code: 'schema',
    message: `permission set name ${quoteValue(name)} is not valid`,
    hint: PATTERN_MESSAGES.setName!.hint,
  };
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

let defNames: Map<unknown, string> | undefined;

function defName(schema: unknown): string | undefined {
  if (defNames === undefined) {
    const defs = (getManifestSchema().$defs ?? {}) as Record<string, unknown>;
    defNames = new Map(Object.entries(defs).map(([name, def]) => [def, name]));
  }
  return defNames.get(schema);
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null) return {};
  const properties = (schema as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null
    ? (properties as Record<string, unknown>)
    : {};
}
