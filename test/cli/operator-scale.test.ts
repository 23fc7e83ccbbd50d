import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/types.js';
import { emulatorEnv, runCli } from '../helpers/cli.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';
import {
  expectNoSecretsPrinted,
  rememberManagementToken,
  startTestProject,
  type TestProject,
} from '../helpers/project.js';

expectNoSecretsPrinted();

let project: TestProject;
let dir: string;
let emulator: RunningEmulator;
let key: TestProject['key'];

beforeEach(async () => {
  project = await startTestProject({
    prefix: 'operator',
    emulator: { databases: ['metrics', 'logs'] },
  });
  ({ dir, emulator, key } = project);
});

/** `count` tokens per team, for `teams`; each reads metrics and lives 90 days. */
function manifest(teams: string[], count: number, extra = ''): string {
  const lines = ['version: 1', extra, 'tokens:'].filter((line) => line !== '');
  for (const team of teams) {
    for (let i = 0; i < count; i += 1) {
      lines.push(`  - name: ${team}-${String(i).padStart(2, '0')}`, '    read: [metrics]');
      lines.push('    expiresIn: 90d');
    }
  }
  if (teams.length === 0) lines.push('  []');
  return `${lines.join('\n').replace('tokens:\n  []', 'tokens: []')}\n`;
}

function provision(args: string[], options: Parameters<TestProject['provision']>[1] = {}) {
  return project.provision(args, options);
}

const seal = () => ['--recipient', key.recipient, '--secrets-file', 'tokens.sealed'];

describe('the operator at scale', () => {
  it('condenses a plan of more than 50 changes; --verbose shows each; one Sealed line', async () => {
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a', 'b', 'c'], 20));
    const plan = await provision(['plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toBe(
      [
        `Cluster ${emulator.clusterId} (account ${emulator.accountId}), manifest tokens.yaml`,
        '',
        '60 changes: counts per team, then every revoke and replace in full (--verbose shows every change).',
        '',
        '  team       create  update  replace  revoke',
        '  (no team)      60       0        0       0',
        '',
        'Plan: 60 to create, 0 to update, 0 to replace, 0 to revoke.',
        '',
      ].join('\n'),
    );
    const verbose = await provision(['plan', '--verbose']);
    expect(verbose.stdout).toContain('  + c-19\n      description: "c-19"\n');

    const apply = await provision(['apply', '--yes', ...seal()]);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('60 changes: counts per team');
    expect(apply.stdout).not.toContain('  + a-00\n');
    expect(apply.stdout.endsWith('Sealed 60 new token strings into tokens.sealed.\n')).toBe(true);
    expect(apply.stdout.match(/Sealed/g)).toHaveLength(1);
  });

  it('refuses a mass revoke on --yes, says so in plan, and lets --allow-mass-revoke through', async () => {
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a'], 10));
    expect((await provision(['apply', '--yes', ...seal()])).code).toBe(0);
    // The manifest emptied by mistake.
    writeFileSync(join(dir, 'tokens.yaml'), manifest([], 0));
    const plan = await provision(['plan', '--prune']);
    expect(plan.stdout).toContain(
      'warning: the plan would revoke or replace 10 of 10 managed tokens, more than half of them: apply will refuse it without --allow-mass-revoke\n',
    );
    const refused = await provision(['apply', '--yes', '--prune', ...seal()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: refusing to apply: the plan would revoke or replace 10 of 10 managed tokens, more than half of them\n' +
        'hint: if the manifest lost tokens by mistake, restore it; if this is intended, run again with --allow-mass-revoke (policy.maxRevokes sets the limit)\n',
    );
    const live = async () =>
      (await clientFor(emulator).listTokens()).filter((t) => t.revokedAt === undefined).length;
    expect(await live()).toBe(10);
    const allowed = await provision([
      'apply',
      '--yes',
      '--prune',
      '--allow-mass-revoke',
      ...seal(),
    ]);
    expect(allowed.code).toBe(0);
    expect(await live()).toBe(0);
  });

  it('policy.maxRevokes sets the limit, below the default rule', async () => {
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a'], 10));
    expect((await provision(['apply', '--yes', ...seal()])).code).toBe(0);
    // 3 of 10 would pass the default rule; the manifest allows 2.
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a'], 7, 'policy: { maxRevokes: 2 }'));
    const refused = await provision(['apply', '--yes', '--prune', ...seal()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: refusing to apply: the plan would revoke or replace 3 of 10 managed tokens, more than policy.maxRevokes (2)\n' +
        'hint: if this is intended, run again with --allow-mass-revoke, or raise policy.maxRevokes\n',
    );
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a'], 7, 'policy: { maxRevokes: -1 }'));
    const invalid = await provision(['validate']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout + invalid.stderr).toContain('maxRevokes');
  });

  it('warns when --expiring-within cannot renew anything, instead of a bare "No changes."', async () => {
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a'], 3));
    expect((await provision(['apply', '--yes', ...seal()])).code).toBe(0);
    const plan = await provision(['plan', '--expiring-within', '100d']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toBe(
      [
        `Cluster ${emulator.clusterId} (account ${emulator.accountId}), manifest tokens.yaml`,
        '',
        '3 tokens unchanged.',
        'warning: --expiring-within 100d is at least as long as the lifetime of 3 tokens (90d): a renewed token would expire within the window again, so they are not renewed; use a window shorter than their lifetime, or --replace NAME to rotate now',
        '',
        'No changes to apply; see the warning above.',
        '',
      ].join('\n'),
    );
    const short = await provision(['plan', '--expiring-within', '14d']);
    expect(short.stdout).toContain('No changes. The cluster matches the manifest.');
  });

  it('apply --format json (and --json), -f plan.json as a saved plan, one spelling of no-op', async () => {
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a'], 2));
    expect((await provision(['plan', '--out', 'plan.json'])).code).toBe(0);
    const saved = await provision([
      'apply',
      '-f',
      'plan.json',
      '--yes',
      '--format',
      'json',
      ...seal(),
    ]);
    expect(saved.stderr).toBe('');
    expect(saved.code).toBe(0);
    const events = saved.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events[0]).toEqual({
      type: 'plan',
      summary: {
        create: 2,
        update: 0,
        replace: 0,
        revoke: 0,
        'no-op': 0,
        unmanaged: 0,
        retiring: 0,
        // The manifest declares no database: the cluster's are counted, never touched.
        databases: { create: 0, update: 0, 'no-op': 0, unmanaged: 2 },
      },
      warnings: [],
    });
    expect(events.at(-1)).toMatchObject({ type: 'summary', counts: { create: 2, 'no-op': 0 } });
    const alias = await provision(['apply', '--yes', '--json', ...seal()]);
    expect(JSON.parse(alias.stdout.split('\n')[0]!)).toMatchObject({
      type: 'plan',
      summary: { 'no-op': 2 },
    });
    // The plan is stale now: -f plan.json is refused as a stale plan, not as 12 schema errors.
    const stale = await provision(['apply', '-f', 'plan.json', '--yes', ...seal()]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/plan\.json/);
    expect(stale.stderr).not.toMatch(/tokens\.yaml:\d+:\d+|is not valid/);
  });

  it('on Ctrl-C says at once what is in flight, shows the rest as skipped, and the counts agree', async () => {
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a', 'b', 'c', 'd', 'e'], 40));
    const slow = await startTestEmulator({ databases: ['metrics'], latencyMs: 40 });
    rememberManagementToken(slow);
    const run = await runCli(['apply', '--yes', '--concurrency', '4', ...seal()], {
      cwd: dir,
      env: { ...emulatorEnv(slow), PROVISION_AGE_IDENTITY: key.identityFile },
      // Interrupt as soon as the first token is created: most of the work has not started.
      interruptWhen: (stdout) => /\ncreated /.test(stdout),
    });
    expect(run.code).toBe(1);
    expect(run.signal).toBeNull();
    // In flight means started and not ended: a create may be sealing after its call (> 4).
    expect(run.stderr).toMatch(/^Interrupted: finishing \d+ in flight; no new changes start\.\n$/);
    expect(run.stdout).not.toMatch(/^skipped /m);
    const created = run.stdout.match(/^created /gm)?.length ?? 0;
    const summary =
      /Apply incomplete: (\d+) created, 0 updated, 0 replaced, 0 revoked, 0 failed, (\d+) skipped/.exec(
        run.stdout,
      );
    expect(summary).not.toBeNull();
    expect(Number(summary![1])).toBe(created);
    expect(Number(summary![1]) + Number(summary![2])).toBe(200);
    expect(run.stdout).toContain(
      `Interrupted: ${summary![2]} changes were not started; run apply again to finish.`,
    );
    expect(run.stdout).toMatch(/\nteam +created +updated +replaced +revoked +failed +skipped\n/);
  });

  it('names the flag or variable actually used when nothing answers', async () => {
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a'], 1));
    const dead = 'http://127.0.0.1:9/api/v0';
    const flag = await provision(['plan', '--management-url', dead]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain(
      `hint: nothing answered at the Management API URL from --management-url ${dead}; check it and the network\n`,
    );
    const variable = await runCli(['plan'], {
      cwd: dir,
      env: { ...emulatorEnv(emulator), INFLUX_MANAGEMENT_URL: dead },
    });
    expect(variable.stderr).toContain(
      `hint: nothing answered at the Management API URL from INFLUX_MANAGEMENT_URL (${dead}); check it and the network\n`,
    );
  });

  it('tokens list shows managed names and unmanaged tokens, as a table and as JSON', async () => {
    writeFileSync(join(dir, 'tokens.yaml'), manifest(['a'], 2));
    expect((await provision(['apply', '--yes', ...seal()])).code).toBe(0);
    const manual = await clientFor(emulator).createToken({
      description: 'made by hand\u001b[31m',
      permissions: [{ action: 'write', resource: 'logs' }],
    });
    const table = await provision(['tokens', 'list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME +ID +PERMISSIONS +EXPIRES +STATUS +DESCRIPTION$/);
    expect(lines[1]).toMatch(
      /^a-00 +\S+ +read:metrics +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +active +"a-00"$/,
    );
    expect(lines[3]).toBe(
      `unmanaged  ${manual.id}  write:logs    never                 active  "made by hand\\u001b[31m"`,
    );
    expect(table.stdout.endsWith('\n3 tokens: 2 managed, 1 unmanaged.\n')).toBe(true);
    const json = JSON.parse((await provision(['tokens', 'list', '--format', 'json'])).stdout) as {
      formatVersion: number;
      tokens: { name: string | null }[];
    };
    expect(json.formatVersion).toBe(1);
    expect(json.tokens.map((t) => t.name)).toEqual(['a-00', 'a-01', null]);
    expect(json.tokens[2]).toMatchObject({ id: manual.id, managed: false, status: 'active' });
  });
});
