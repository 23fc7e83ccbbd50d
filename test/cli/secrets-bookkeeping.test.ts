import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { findSecrets, transcript } from '../helpers/cli.js';
import { startTestProject } from '../helpers/project.js';

const managementTokens: string[] = [];
// What this file printed, less the plaintext export it asks for on purpose.
const asked: string[] = [];
afterAll(() => {
  expect(
    findSecrets(transcript.filter((text) => !asked.includes(text)).join('\n'), managementTokens),
  ).toEqual([]);
});

it('a rename and a revoke reach the secrets file: list and export show the truth', async () => {
  const project = await startTestProject({
    prefix: 'bookkeeping',
    emulator: { databases: ['metrics'] },
  });
  const { dir, key, emulator, provision } = project;
  managementTokens.push(emulator.managementToken);
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
