import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ManifestDocument } from './types.js';

/** Where the schema lives relative to this module, in `src/manifest/` and `dist/manifest/` alike. */
const SCHEMA_URL = new URL('../../schema/tokens.schema.json', import.meta.url);

let schema: Record<string, unknown> | undefined;
let validator: ValidateFunction<ManifestDocument> | undefined;

/** The parsed JSON Schema, read once. */
export function getManifestSchema(): Record<string, unknown> {
  schema ??= JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  return schema;
}

/**
 * The compiled schema. Compiling takes tens of milliseconds, so it happens once per process
 * and only when a manifest is actually validated (`--version` and `--help` never pay it).
 */
export function getManifestValidator(): ValidateFunction<ManifestDocument> {
  if (validator === undefined) {
    const ajv = new Ajv2020({
      allErrors: true,
      verbose: true,
      strict: true,
      strictRequired: false,
      // The optimiser pass costs more at start-up than it saves on a 10,000-token manifest.
      code: { optimize: false },
    });
    // ajv-formats is CommonJS; its default export arrives wrapped under nodenext.
    const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
    addFormats(ajv, ['date-time', 'uri']);
    validator = ajv.compile<ManifestDocument>(getManifestSchema());
  }
  return validator;
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
