import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { runCli } from '../helpers/cli.js';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'provision-hints-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

it('YAML errors after a tab point back at the tab', async () => {
  const dir = folder();
  writeFileSync(
    join(dir, 'tokens.yaml'),
    'version: 1\ntokens:\n\t- name: grafana\n\t  read: [metrics]\n  - name: other\n    read: [x]\n',
  );
  const run = await runCli(['validate'], { cwd: dir });
  expect(run.code).toBe(1);
  expect(run.stdout + run.stderr).toBe(
    [
      'tokens.yaml:3:1: a tab is used for indentation; indent YAML with spaces',
      'tokens.yaml:4:1: a tab is used for indentation; indent YAML with spaces',
      'tokens.yaml:5:1: invalid YAML: a block sequence may not be used as an implicit map key; probably caused by the tab at line 3; indent with spaces and check again',
      'tokens.yaml:5:3: invalid YAML: implicit keys need to be on a single line; probably caused by the tab at line 3; indent with spaces and check again',
      'tokens.yaml:5:3: invalid YAML: implicit map keys need to be followed by map values; probably caused by the tab at line 3; indent with spaces and check again',
      'tokens.yaml: 5 problems',
      '',
    ].join('\n'),
  );
});

it('names clashing after a duplicate team say so, not "add {database}" or "two teams"', async () => {
  const dir = folder();
  writeFileSync(
    join(dir, 'tokens.yaml'),
    [
      'version: 1',
      'teams:',
      '  - name: payments',
      '    databases: [payments_prod]',
      '  - name: payments',
      '    databases: [payments_prod]',
      'templates:',
      '  - name: "{team}-{database}-writer"',
      '    per: database',
      '    write: ["{database}"]',
      '  - name: "{team}-reader"',
      '    read: ["{database}"]',
      '',
    ].join('\n'),
  );
  const run = await runCli(['validate'], { cwd: dir });
  expect(run.code).toBe(1);
  const out = run.stdout + run.stderr;
  expect(out).toContain(
    'tokens.yaml:5:11: team "payments" is declared twice (first at line 3); merge the two entries\n',
  );
  expect(
    out.match(/this follows from team "payments" being declared twice; merge the two entries\n/g),
  ).toHaveLength(2);
  expect(out).not.toContain('add {database}');
  expect(out).not.toContain('two teams list the same database');
  expect(out).not.toContain('(see examples/)');
});

it("the emulator's help names PROVISION_EMULATOR_TOKEN", async () => {
  const run = await runCli(['emulator', '--help']);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('  PROVISION_EMULATOR_TOKEN  the management token to accept');
});
