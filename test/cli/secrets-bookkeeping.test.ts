import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeAgeKey } from '../helpers/age-keys.js';
import { emulatorEnv, findSecrets, runCli, transcript } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';

const managementTokens: string[] = [];
// What this file printed, less the plaintext export it asks for on purpose.
const asked: string[] = [];
afterAll(() => {
  expect(
    findSecrets(transcript.filter((text) => !asked.includes(text)).join('\n'), managementTokens),
  ).toEqual([]);
});

it('a rename and a revoke reach the secrets file: list and export show the truth', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-bookkeeping-'));
  const key = await makeAgeKey(dir);
  const emulator = await startTestEmulator({ databases: ['metrics'] });
  managementTokens.push(emulator.managementToken);
  const env = { ...emulatorEnv(emulator), PROVISION_AGE_IDENTITY: key.identityFile };
  const provision = (args: string[]) => runCli(args, { cwd: dir, env });
  const apply = (...extra: string[]) =>
    provision([
      'apply',
      '--yes',
      '--recipient',
      key.recipient,
      '--secrets-file',
      's.sealed',
      ...extra,
    ]);

  writeFileSync(
    join(dir, 'tokens.yaml'),
    `version: 1
tokens:
  - name: grafana
    description: Dashboards
    read: [metrics]
  - name: old-exporter
    description: Exporter
    read: [metrics]
`,
  );
  expect((await apply()).code).toBe(0);
  writeFileSync(
    join(dir, 'tokens.yaml'),
    `version: 1
tokens:
  - name: dashboards
    previousNames: [grafana]
    description: Dashboards
    read: [metrics]
`,
  );
  const second = await apply('--prune');
  expect(second.code, second.stderr).toBe(0);

  const list = await provision(['secrets', 'list', 's.sealed', '--format', 'json']);
  expect(list.code, list.stderr).toBe(0);
  const entries = JSON.parse(list.stdout) as {
    name: string;
    status: string;
    sealedName?: string;
  }[];
  expect(entries.map(({ name, status, sealedName }) => ({ name, status, sealedName }))).toEqual([
    { name: 'dashboards', status: 'current', sealedName: 'grafana' },
    { name: 'old-exporter', status: 'revoked', sealedName: undefined },
  ]);

  // Plaintext on request only (the transcript scan leaves `export --format env` out).
  const exported = await provision(['secrets', 'export', 's.sealed', '--format', 'env']);
  asked.push(exported.stdout);
  expect(exported.code, exported.stderr).toBe(0);
  const variables = exported.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('=')[0]);
  expect(variables).toEqual(['PROVISION_TOKEN_DASHBOARDS']);
});
