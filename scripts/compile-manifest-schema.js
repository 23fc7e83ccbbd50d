#!/usr/bin/env node
// Compiles schema/tokens.schema.json into standalone validation code (ajv's "standalone"
// mode), so that no process pays for loading ajv and compiling the schema (~0.1 s, more
// than the rest of validating a small manifest). The schema stays the one source of truth:
// test/manifest/schema.test.ts fails when the generated file is out of date.
//   node scripts/compile-manifest-schema.js   (npm run build does it first)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';

const SCHEMA = new URL('../schema/tokens.schema.json', import.meta.url);
export const GENERATED = new URL(
  '../src/manifest/generated/validate-manifest-schema.ts',
  import.meta.url,
);

/** The TypeScript source of the generated validator, from the schema as it is on disk. */
export function manifestValidatorSource() {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictRequired: false,
    code: { source: true, esm: true, optimize: false },
  });
  addFormatsModule.default(ajv, ['date-time', 'uri']);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')));
  const code = standaloneModule.default(ajv, validate);
  return [
    '// Generated from schema/tokens.schema.json by scripts/compile-manifest-schema.js: do not edit.',
    '// @ts-nocheck',
    "import { createRequire } from 'node:module';",
    'const require = createRequire(import.meta.url);',
    code,
    '',
  ].join('\n');
}

// Run by `npm run build` before tsc: rewrites the file only when the schema changed.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = manifestValidatorSource();
  if (!existsSync(GENERATED) || readFileSync(GENERATED, 'utf8') !== source) {
    writeFileSync(GENERATED, source);
    console.log(`wrote ${fileURLToPath(GENERATED)}`);
  }
}
