import { didYouMean } from '../model/index.js';
import { describeContainer } from './describe-path.js';
import type { PathSegment } from './locate-node.js';
import { countCharacters } from './count-characters.js';
import { NAME_HINT, PATTERN_MESSAGES } from './pattern-messages.js';
import { quoteValue, typeWord } from './quote-value.js';
import type { ValidationIssue } from './types.js';

/** A translated schema error: where it is (a path) and what to say. */
export type SchemaIssue = Omit<ValidationIssue, 'file' | 'line' | 'column' | 'severity'> & {
  path: PathSegment[];
  part?: 'key' | 'value';
};

// The sentence builders behind `translateSchemaErrors`, one per kind of schema error.

// Keys that suggest someone is about to commit a credential.
const SECRET_KEY = /^(management[-_]?)?token$|secret|password|credential|api[-_]?key/i;

export function unknownKey(
  path: PathSegment[],
  key: string,
  parent: unknown,
  data: unknown,
): SchemaIssue {
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

export function missingKey(path: PathSegment[], subject: string, key: string): SchemaIssue {
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

export function wrongType(
  path: PathSegment[],
  subject: string,
  expected: string,
  value: unknown,
): SchemaIssue {
  if (path.length === 0) {
    return {
      path,
      code: 'not-a-manifest',
      message: value === null ? 'the manifest is empty' : 'the manifest must be a mapping',
      hint: 'start with "version: 1", then tokens:, teams: or templates: (provision init writes a starter tokens.yaml)',
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

export function badValue(
  path: PathSegment[],
  subject: string,
  def: string | undefined,
  params: Record<string, unknown>,
  value: unknown,
): SchemaIssue {
  const message = PATTERN_MESSAGES[def ?? ''];
  const format = typeof params.format === 'string' ? params.format : 'value';
  const what = message?.what ?? `a valid ${format}`;
  const hint = message?.hint;
  const entity = NAMES[def ?? ''];
  const text = typeof value === 'string' ? value : '';
  const length = countCharacters(text);
  if (def !== undefined && LIMITED.has(def) && length > 64) {
    return {
      path,
      code: 'schema',
      message: `${subject} is longer than 64 characters (${length})`,
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

export function badSetName(path: PathSegment[], name: string): SchemaIssue {
  return {
    path: [...path, name],
    part: 'key',
    code: 'schema',
    message: `permission set name ${quoteValue(name)} is not valid`,
    hint: NAME_HINT,
  };
}

function propertiesOf(schema: unknown): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null) return {};
  const properties = (schema as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null
    ? (properties as Record<string, unknown>)
    : {};
}
