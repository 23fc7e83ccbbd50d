import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/format-issue.js';
import { validateManifestText } from '../../src/manifest/load-manifest.js';

// Each `X.yaml` under fixtures/invalid has a sibling `X.expected`: every line validation
// prints for it (errors and warnings, formatted, in order), positions included.
const dir = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));
const fixtures = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const NOW = new Date('2026-06-01T00:00:00Z');

describe('invalid manifests', () => {
  it('has a corpus of at least 30 fixtures, each with its expected output', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    const expected = readdirSync(dir).filter((name) => name.endsWith('.expected'));
    expect(expected.sort()).toEqual(fixtures.map((name) => name.replace(/\.yaml$/, '.expected')));
  });

  it.each(fixtures)('%s yields exactly its expected lines', (name) => {
    const text = readFileSync(`${dir}${name}`, 'utf8');
    const expected = readFileSync(`${dir}${name.replace(/\.yaml$/, '.expected')}`, 'utf8')
      .trimEnd()
      .split('\n');
    const result = validateManifestText(text, name, { now: NOW });
    expect(result.ok).toBe(false);
    const issues = result.ok ? result.warnings : result.issues;
    expect(issues.map(formatIssue)).toEqual(expected);
    // Every fixture is invalid for a reason that has a position and a message.
    for (const issue of issues) {
      expect(issue.message).not.toBe('');
      expect(issue.file).toBe(name);
    }
  });
});
