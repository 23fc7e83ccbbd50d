import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { CI_WORKFLOW } from '../../src/cli/init/ci-workflow.js';
import { repoRoot, runCli } from '../helpers/cli.js';

it('init scaffolds a valid manifest, a 0600 key never printed, .gitignore lines and the workflow; then refuses to overwrite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-init-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '.gitignore'), 'node_modules/');

  const run = await runCli(['init'], { cwd: dir });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const key = readFileSync(join(dir, 'platform-key.txt'), 'utf8');
  const recipient = /# public key: (age1[a-z0-9]+)/.exec(key)?.[1] ?? '';
  expect(key).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+$/m);
  expect(statSync(join(dir, 'platform-key.txt')).mode & 0o777).toBe(0o600);
  expect(run.stdout).not.toContain('AGE-SECRET-KEY');
  expect(run.stdout).toBe(
    [
      'Wrote tokens.yaml (its first line points editors at the schema).',
      `Wrote platform-key.txt (mode 0600): the platform team's age identity, for its public key ${recipient}.`,
      '  Keep it out of git and in your password manager; it opens every sealed token string.',
      'Wrote .github/workflows/tokens.yml.',
      'Added to .gitignore: platform-key.txt, plan.json, plan.md, plan.txt.',
      '',
      'Next: set INFLUX_ACCOUNT_ID, INFLUX_CLUSTER_ID and INFLUX_MANAGEMENT_TOKEN, then run',
      '  provision plan -f tokens.yaml',
      '',
    ].join('\n'),
  );

  const manifest = readFileSync(join(dir, 'tokens.yaml'), 'utf8');
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schema/tokens.schema.json'), 'utf8')) as {
    $id: string;
  };
  // Outside a project that installs provision, the $schema line is the schema's URL.
  expect(manifest.split('\n')[0]).toBe(`# yaml-language-server: $schema=${schema.$id}`);
  expect(schema.$id).toMatch(/^https:\/\/.+\/schema\/tokens\.schema\.json$/);
  expect(manifest).toContain(`    - ${recipient} # the platform team`);
  expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(
    'node_modules/\n# provision: the private key and saved plans stay out of git\nplatform-key.txt\nplan.json\nplan.md\nplan.txt\n',
  );
  expect(readFileSync(join(dir, '.github/workflows/tokens.yml'), 'utf8')).toBe(CI_WORKFLOW);

  const valid = await runCli(['validate'], { cwd: dir });
  expect(valid.stderr).toBe('');
  expect(valid.code).toBe(0);

  const again = await runCli(['init', '--no-workflow'], { cwd: dir });
  expect(again.code).toBe(1);
  expect(again.stderr).toBe(
    'error: refusing to overwrite tokens.yaml, platform-key.txt\nhint: move it away, or choose other paths with -f, --key-file or --workflow\n',
  );
  expect(readFileSync(join(dir, 'platform-key.txt'), 'utf8')).toBe(key);
});

it('the workflow init writes is the example workflow', () => {
  expect(readFileSync(join(repoRoot, 'examples/ci/github-actions.yml'), 'utf8')).toBe(CI_WORKFLOW);
});
