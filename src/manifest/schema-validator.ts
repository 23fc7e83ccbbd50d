import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { validate } from './generated/validate-manifest-schema.js';
import type { ManifestDocument } from './types.js';

/** Where the schema lives relative to this module, in `src/manifest/` and `dist/manifest/` alike. */
const SCHEMA_URL = new URL('../../schema/tokens.schema.json', import.meta.url);

let schema: Record<string, unknown> | undefined;

/** The parsed JSON Schema, read once. */
export function getManifestSchema(): Record<string, unknown> {
  schema ??= JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  return schema;
}

/**
 * The schema's validator, compiled ahead of time by `scripts/compile-manifest-schema.js`
 * (allErrors, verbose, strict): loading ajv and compiling at run time cost every command
 * about 0.1 s. A test fails when the generated code is older than the schema.
 */
export function getManifestValidator(): ValidateFunction<ManifestDocument> {
  return validate as unknown as ValidateFunction<ManifestDocument>;
}

const patterns = new Map<string, RegExp>();

/**
 * The `pattern` of a `$defs` entry as a RegExp, for rules that check values produced by
 * expansion with the very rule the schema applies to written ones.
 */
export function schemaPattern(defName: string): RegExp {
  let pattern = patterns.get(defName);
  if (pattern === undefined) {
    const defs = getManifestSchema().$defs as Record<string, { pattern?: string }> | undefined;
    const source = defs?.[defName]?.pattern;
    if (source === undefined) throw new Error(`schema has no pattern for $defs/${defName}`);
    pattern = new RegExp(source, 'u');
    patterns.set(defName, pattern);
  }
  return pattern;
}
