import { mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { parseMarker } from '../../src/plan/marker.js';
import { makeAgeKey } from '../helpers/age-keys.js';
import { emulatorEnv, findSecrets, runCli, transcript } from '../helpers/cli.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';

const TEAMS = ['alpha', 'beta', 'gamma', 'delta'];
const managementTokens: string[] = [];

afterAll(() => {
  expect(findSecrets(transcript.join('\n'), managementTokens)).toEqual([]);
});

/** Four teams of ten databases each, one reader per database, each team's own secrets file. */
function manifest(platform: string, teamKeys: Record<string, string>): string {
  const teams = TEAMS.map((team, t) => {
    const dbs = Array.from({ length: 10 }, (_, i) => `db-${String(t * 10 + i).padStart(2, '0')}`);
    return `  - name: ${team}\n    databases: [${dbs.join(', ')}]\n    recipients: [${teamKeys[team]}]`;
  });
  return [
    'version: 1',
    'teams:',
    ...teams,
    'templates:',
    "  - name: '{team}-{database}-reader'",
    '    per: database',
    "    read: ['{database}']",
    'outputs:',
    '  secretsFile: secrets/tokens.sealed',
    "  teamSecretsFile: 'secrets/{team}.sealed'",
    `  recipients: [${platform}]`,
    '',
  ].join('\n');
}

it('verify at scale: failures only, a sampled probe set with a canary, --only, one line for files a team key cannot open', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-verify-scale-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const databases = [...Array.from({ length: 40 }, (_, i) => `db-${String(i).padStart(2, '0')}`)];
  // "zz-unused" is granted to no token: the canary every token is probed on.
  const emulator = await startTestEmulator({ databases: [...databases, 'zz-unused'] });
  managementTokens.push(emulator.managementToken);
  const platform = await makeAgeKey(dir);
  const teamKeys: Record<string, { identityFile: string; recipient: string }> = {};
  for (const team of TEAMS) {
    const folder = join(dir, `key-${team}`);
    await mkdir(folder);
    teamKeys[team] = await makeAgeKey(folder);
  }
  writeFileSync(
    join(dir, 'tokens.yaml'),
    manifest(
      platform.recipient,
      Object.fromEntries(TEAMS.map((team) => [team, teamKeys[team]!.recipient])),
    ),
  );
  const provision = (args: string[], identity = platform.identityFile) =>
    runCli(args, {
      cwd: dir,
      env: { ...emulatorEnv(emulator), PROVISION_AGE_IDENTITY: identity },
    });
  const applied = await provision(['apply', '--yes']);
  expect(applied.code).toBe(0);
  expect(applied.stdout).toContain(
    'Sealed 40 new token strings into 4 files under secrets/ (provision secrets list FILE shows what each holds).',
  );

  const verify = ['verify', '--cluster-url', emulator.clusterUrl];
  const before = emulator.store.counters.byOperation.query ?? 0;
  const ok = await provision(verify);
  expect(ok.stderr).toBe('');
  // Each token: its own database, two sampled others and the canary — not all 41.
  expect(ok.stdout).toBe(
    [
      `Verify on ${emulator.clusterUrl}: 40 declared tokens, reads only (--write-probe also checks writes)`,
      '',
      'OK: 40 tokens answered exactly as declared (160 probes).',
      '',
    ].join('\n'),
  );
  expect(ok.code).toBe(0);
  expect((emulator.store.counters.byOperation.query ?? 0) - before).toBe(160);

  // A wildcard added behind provision's back is caught on the canary.
  const victim = emulator.store
    .tokens()
    .find((t) => parseMarker(t.description)?.name === 'beta-db-12-reader')!;
  await clientFor(emulator).updateToken(victim.id, {
    permissions: [{ action: 'read', resource: '*' }],
  });
  const drift = await provision([...verify, '--concurrency', '2']);
  expect(drift.code).toBe(1);
  expect(drift.stdout).toContain(
    'mismatch: beta-db-12-reader on zz-unused: can read, but the manifest does not grant it\n',
  );
  expect(drift.stdout).not.toContain('  TOKEN');
  expect(drift.stdout).toMatch(
    /\nMismatch: 1 of 40 tokens answered otherwise than declared \(3 of 160 probes\)\.\n/,
  );

  // --only limits the probes; a team's key opens only its own file: one line for the rest.
  const alpha = teamKeys.alpha!.identityFile;
  const onlyAlpha = await provision([...verify, '--only', 'team:alpha'], alpha);
  expect(onlyAlpha.stderr).toBe('');
  expect(onlyAlpha.stdout).toContain('OK: 10 tokens answered exactly as declared (40 probes).\n');
  const everyone = await provision(verify, alpha);
  expect(everyone.stderr).toBe(
    'warning: this identity cannot open 3 of 4 secrets files (secrets/beta.sealed, secrets/delta.sealed, secrets/gamma.sealed); their tokens are not verified\n',
  );
  expect(everyone.stdout).toContain(
    '\nNot verifiable:\n  30 tokens (beta-db-10-reader, beta-db-11-reader, beta-db-12-reader, +27): their secrets files cannot be opened with this identity\n',
  );
  expect(everyone.stdout).toContain(
    'OK: 10 tokens answered exactly as declared (40 probes); 30 tokens not verifiable.\n',
  );

  const unknown = await provision([...verify, '--only', 'team:alpah']);
  expect(unknown.stderr).toContain('error: --only team:alpah: no team "alpah" in the manifest\n');
  expect(unknown.code).toBe(1);
}, 120_000);
