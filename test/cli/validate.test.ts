import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import {
  mutateManifest,
  mutateText,
  mutationArbitrary,
  textMutationArbitrary,
} from '../manifest/mutate-manifest.js';

// These tests spawn the built binary: `npm run build` first (npm test does).
const dir = mkdtempSync(join(tmpdir(), 'provision-validate-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('provision validate', () => {
  it.each([
    ['examples/tokens.yaml', 'examples/tokens.yaml: 5 tokens, valid'],
    ['examples/onboarding.yaml', 'examples/onboarding.yaml: 161 tokens for 40 teams, valid'],
    ['examples/rotation.yaml', 'examples/rotation.yaml: 5 tokens, valid'],
  ])('accepts %s with a one-line summary and exit 0', async (file, summary) => {
    const run = await runCli(['validate', '-f', file]);
    expect(run).toMatchObject({ code: 0, stdout: `${summary}\n`, stderr: '' });
  });

  it.each([
    'undefined-set',
    'unknown-key-in-token',
    'duplicate-name-from-template',
    'management-token-in-cluster',
  ])(
    'prints every problem of fixtures/invalid/%s.yaml, then the count, and exits 1',
    async (name) => {
      const file = `test/fixtures/invalid/${name}.yaml`;
      // The fixture's expected lines, labelled with the path as the user typed it.
      const expected = readFileSync(
        join(repoRoot, 'test/fixtures/invalid', `${name}.expected`),
        'utf8',
      )
        .trimEnd()
        .split('\n')
        .map((line) => line.replace(`${name}.yaml`, file));
      const errors = expected.filter((line) => !line.includes(': warning: ')).length;
      const run = await runCli(['validate', '-f', file]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `${[...expected, `${file}: ${errors === 1 ? '1 problem' : `${errors} problems`}`].join('\n')}\n`,
      );
    },
  );

  it('reads tokens.yaml in the working folder by default and prints warnings on stderr', async () => {
    const cwd = mkdtempSync(join(dir, 'default-'));
    writeFileSync(join(cwd, 'tokens.yaml'), 'version: 1\ntokens:\n  - name: idle\n');
    const run = await runCli(['validate'], { cwd });
    expect(run).toMatchObject({
      code: 0,
      stdout: 'tokens.yaml: 1 token, valid\n',
      stderr:
        'tokens.yaml:3:5: warning: token "idle" grants no permissions; add read:, write: or sets:; such a token can do nothing\n',
    });
  });

  it('reports a missing file as one problem', async () => {
    const run = await runCli(['validate'], { cwd: dir });
    expect(run).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'tokens.yaml: no such file; pass the manifest with -f FILE\ntokens.yaml: 1 problem\n',
    });
  });

  it('prints JSON for tooling, valid or not, and nothing on stderr', async () => {
    const valid = await runCli(['validate', '-f', 'examples/tokens.yaml', '--format', 'json']);
    expect(valid.code).toBe(0);
    expect(valid.stderr).toBe('');
    expect(JSON.parse(valid.stdout)).toEqual({
      file: 'examples/tokens.yaml',
      valid: true,
      tokens: 5,
      teams: 0,
      issues: [],
    });

    const invalid = await runCli([
      'validate',
      '-f',
      'test/fixtures/invalid/undefined-set.yaml',
      '--format',
      'json',
    ]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe('');
    expect(JSON.parse(invalid.stdout)).toEqual({
      file: 'test/fixtures/invalid/undefined-set.yaml',
      valid: false,
      tokens: null,
      teams: null,
      issues: [
        {
          file: 'test/fixtures/invalid/undefined-set.yaml',
          line: 7,
          column: 12,
          severity: 'error',
          code: 'undefined-set',
          message: 'permission set "metrics-readr" is not defined',
          hint: 'did you mean "metrics-reader"?',
        },
      ],
    });
  });

  it('prints the expanded tokens with --expand', async () => {
    const json = await runCli([
      'validate',
      '-f',
      'examples/onboarding.yaml',
      '--format',
      'json',
      '--expand',
    ]);
    expect(json.code).toBe(0);
    const document = JSON.parse(json.stdout) as {
      desiredTokens: { name: string; team: string | null }[];
    };
    expect(document.desiredTokens).toHaveLength(161);
    expect(document.desiredTokens[1]).toMatchObject({
      name: 'payments-payments_prod-writer',
      team: 'payments',
    });

    const text = await runCli(['validate', '-f', 'examples/tokens.yaml', '--expand']);
    expect(text).toMatchObject({
      code: 0,
      stderr: '',
      stdout: [
        'examples/tokens.yaml: 5 tokens, valid',
        '  sensors-read-write: read sensors, write sensors; never expires',
        '  all-databases-read-write: read *, write *; never expires',
        '  sensors-read-only: read sensors; never expires',
        '  sensors-metrics-read-only: read metrics, read sensors; never expires',
        '  sensors-read-metrics-read-write: read metrics, read sensors, write metrics; never expires',
        '',
      ].join('\n'),
    });
  });

  it('exits 0 or 1 on mutated manifests and never prints a stack trace', async () => {
    const sources = ['tokens.yaml', 'onboarding.yaml', 'rotation.yaml'].map((name) =>
      readFileSync(join(repoRoot, 'examples', name), 'utf8'),
    );
    const structural = fc.sample(fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }), {
      numRuns: 6,
      seed: 7,
    });
    const textual = fc.sample(fc.array(textMutationArbitrary, { minLength: 1, maxLength: 3 }), {
      numRuns: 6,
      seed: 11,
    });
    const files = [
      ...structural.map((mutations, i) => mutateManifest(sources[i % 3]!, mutations)),
      ...textual.map((mutations, i) => mutateText(sources[i % 3]!, mutations)),
    ].map((text, i) => {
      const file = join(dir, `mutated-${i}.yaml`);
      writeFileSync(file, text);
      return file;
    });
    const runs = await Promise.all(files.map((file) => runCli(['validate', '-f', file])));
    for (const run of runs) {
      expect([0, 1]).toContain(run.code);
      expect(run.stderr).not.toContain('    at ');
      expect(run.stderr).not.toContain('internal error');
    }
  });
});
