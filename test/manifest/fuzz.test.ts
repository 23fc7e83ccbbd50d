import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateManifestText } from '../../src/manifest/load-manifest.js';
import type { ManifestResult } from '../../src/manifest/types.js';
import {
  mutateManifest,
  mutateText,
  mutationArbitrary,
  textMutationArbitrary,
} from './mutate-manifest.js';

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const examples = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => readFileSync(`${examplesDir}${name}`, 'utf8'));
const NOW = new Date('2026-06-01T00:00:00Z');
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
// `FUZZ_SCALE=50 npx vitest run test/manifest/fuzz.test.ts` searches longer than CI does.
const SCALE = Number(process.env.FUZZ_SCALE ?? '1') || 1;

/** Validation must answer, never throw, and every answer must be well-formed. */
function checkAnswer(text: string): ManifestResult {
  const result = validateManifestText(text, 'fuzz.yaml', { now: NOW });
  const issues = result.ok ? result.warnings : result.issues;
  for (const issue of issues) {
    expect(issue.file).toBe('fuzz.yaml');
    expect(Number.isInteger(issue.line) && issue.line >= 0).toBe(true);
    expect(Number.isInteger(issue.column) && issue.column >= 0).toBe(true);
    expect(issue.message.length).toBeGreaterThan(0);
    expect(issue.message).not.toContain('\n');
    expect(issue.hint ?? '').not.toContain('\n');
  }
  if (result.ok) {
    expect(issues.every((issue) => issue.severity === 'warning')).toBe(true);
    for (const cluster of result.clusters) {
      for (const token of cluster.tokens) expect(token.name).toMatch(NAME);
    }
  } else {
    expect(issues.some((issue) => issue.severity === 'error')).toBe(true);
  }
  return result;
}

describe('validateManifestText under random input', () => {
  it('answers any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 })),
        (text) => {
          checkAnswer(text);
        },
      ),
      { numRuns: 300 * SCALE },
    );
  });

  it('answers any YAML document', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4 }), (data) => {
        // yaml's stringify gives undefined for undefined (its type says string).
        checkAnswer(data === undefined ? '' : stringify(data));
        checkAnswer(stringify({ version: 1, tokens: data }));
      }),
      { numRuns: 300 * SCALE },
    );
  });

  it.each(examples.map((text, index) => [index, text] as const))(
    'answers structural mutations of example %i',
    (_index, text) => {
      fc.assert(
        fc.property(fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }), (mutations) => {
          checkAnswer(mutateManifest(text, mutations));
        }),
        { numRuns: 60 * SCALE },
      );
    },
  );

  it.each(examples.map((text, index) => [index, text] as const))(
    'answers textual mutations of example %i',
    (_index, text) => {
      fc.assert(
        fc.property(
          fc.array(textMutationArbitrary, { minLength: 1, maxLength: 4 }),
          (mutations) => {
            checkAnswer(mutateText(text, mutations));
          },
        ),
        { numRuns: 60 * SCALE },
      );
    },
  );

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.array(mutationArbitrary, { maxLength: 3 }), (mutations) => {
        const text = mutateManifest(examples[0]!, mutations);
        expect(validateManifestText(text, 'fuzz.yaml', { now: NOW })).toEqual(
          validateManifestText(text, 'fuzz.yaml', { now: NOW }),
        );
      }),
      { numRuns: 25 * SCALE },
    );
  });
});
