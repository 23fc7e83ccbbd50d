import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeAgeKey } from '../helpers/age-keys.js';
import { emulatorEnv, findSecrets, runCli } from '../helpers/cli.js';
import { clientFor, startTestEmulator } from '../helpers/emulator.js';
import { generateManifest } from '../helpers/generate-manifest.js';
import { checkInvariants } from '../helpers/invariants.js';

const DATABASES = Array.from({ length: 20 }, (_, i) => `db${i}`);

it('converges in one run for 1,000 tokens under 5xx, 429, lost responses and list lag', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'provision-faults-'));
  writeFileSync(join(dir, 'tokens.yaml'), generateManifest(1000, DATABASES));
  const key = await makeAgeKey(dir);
  const emulator = await startTestEmulator({ databases: DATABASES, seed: 42 });
  const client = clientFor(emulator);
  const unmanaged = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      client.createToken({
        description: `hand-made ${i}`,
        permissions: [{ action: 'read', resource: 'db1' }],
      }),
    ),
  );
  emulator.setFaults({ errorRate: 0.1, rateLimitRate: 0.05, ambiguousRate: 0.02, listLagMs: 300 });

  const env = { ...emulatorEnv(emulator) };
  const apply = await runCli(
    [
      'apply',
      '--yes',
      '--recipient',
      key.recipient,
      '--secrets-file',
      'tokens.sealed',
      '--concurrency',
      '16',
    ],
    { cwd: dir, env },
  );
  expect(apply.stderr).toBe('');
  expect(
    apply.code,
    apply.stdout
      .split('\n')
      .filter((l) => /fail/i.test(l))
      .join('\n'),
  ).toBe(0);
  expect(apply.stdout).toMatch(
    /Apply complete: 1000 created, 0 updated, 0 replaced, 0 revoked, 0 failed/,
  );
  // Retries happen inside the client; the summary still counts them.
  expect(apply.stdout).toMatch(/ \(\d+ retries, \d+ lost creates reconciled\)\.\n/);
  const faults = emulator.store.counters.faults;
  expect(faults.ambiguous).toBeGreaterThan(0);
  expect(faults.serverErrors).toBeGreaterThan(0);
  expect(faults.rateLimited).toBeGreaterThan(0);

  emulator.setFaults({ errorRate: 0, rateLimitRate: 0, ambiguousRate: 0, listLagMs: 0 });
  const report = await checkInvariants(
    emulator,
    [join(dir, 'tokens.sealed')],
    key.identity,
    unmanaged.map(({ accessToken: _secret, ...token }) => token),
  );
  expect(report.duplicates).toEqual([]);
  expect(report.unsealed).toEqual([]);
  expect(report.touchedUnmanaged).toEqual([]);
  expect(report.live.length).toBe(1020);

  const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
  expect(plan.code).toBe(0);
  expect(plan.stdout).toContain('No changes.');
  expect(
    findSecrets(apply.stdout + apply.stderr + plan.stdout + plan.stderr, [
      emulator.managementToken,
    ]),
  ).toEqual([]);
}, 180_000);
