import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { parseMarker } from '../../src/plan/marker.js';
import { makeAgeKey } from '../helpers/age-keys.js';
import { emulatorEnv, findSecrets, runCli, transcript } from '../helpers/cli.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';
import { checkInvariants } from '../helpers/invariants.js';

const managementTokens: string[] = [];
afterAll(() => {
  expect(findSecrets(transcript.join('\n'), managementTokens)).toEqual([]);
});

it('finding 1: a hand-made token carrying the marker is revoked; the sealed one stays', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-custody-cli-'));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(
    join(dir, 'tokens.yaml'),
    'version: 1\ntokens:\n  - name: grafana\n    description: Dashboards\n    read: [metrics]\n',
  );
  const key = await makeAgeKey(dir);
  const emulator = await startTestEmulator({ databases: ['metrics'] });
  managementTokens.push(emulator.managementToken);
  const env = emulatorEnv(emulator);
  // The manifest's own secrets file, so plan and apply read the same evidence.
  const apply = () => runCli(['apply', '--yes', '--recipient', key.recipient], { cwd: dir, env });

  expect((await apply()).code).toBe(0);
  const [sealed] = emulator.store.tokens();
  // Someone copies the description by hand, marker and all; it is newer than the sealed one.
  const handMade = await clientFor(emulator).createToken({
    description: 'Dashboards [provision:grafana]',
    permissions: [{ action: 'read', resource: 'metrics' }],
  });

  const second = await apply();
  expect(second.code, second.stdout + second.stderr).toBe(0);
  expect(second.stdout).toContain('keeping the one whose string is sealed');
  const live = emulator.store
    .tokens()
    .filter((t) => t.revokedAt === undefined && parseMarker(t.description)?.name === 'grafana');
  expect(live.map((t) => t.id)).toEqual([sealed?.id]);
  expect(emulator.store.tokens().find((t) => t.id === handMade.id)?.revokedAt).toBeDefined();

  const report = await checkInvariants(
    emulator,
    [join(dir, 'secrets/tokens.sealed')],
    key.identity,
    [],
  );
  expect(report).toMatchObject({ duplicates: [], unsealed: [] });
  const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
  expect(plan.code, plan.stdout).toBe(0);
});
