import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startTestProject } from '../helpers/project.js';
import { generateManifest } from '../helpers/generate-manifest.js';
import { checkInvariants } from '../helpers/invariants.js';

const DATABASES = ['metrics', 'logs'];

it('keeps the invariants when two applies run against one cluster at once', async () => {
  const { dir, key, emulator, provision } = await startTestProject({
    prefix: 'concurrent',
    manifest: generateManifest(150, DATABASES),
    emulator: { databases: DATABASES, latencyMs: 5, jitterMs: 5, seed: 11 },
  });
  // Two CI runners, each with its own secrets file, racing on the same manifest.
  const apply = (file: string) =>
    provision([
      'apply',
      '--yes',
      '--recipient',
      key.recipient,
      '--secrets-file',
      file,
      '--concurrency',
      '8',
    ]);
  const [first, second] = await Promise.all([apply('a.sealed'), apply('b.sealed')]);
  expect(first.code, first.stdout + first.stderr).toBe(0);
  expect(second.code, second.stdout + second.stderr).toBe(0);

  const files = [join(dir, 'a.sealed'), join(dir, 'b.sealed')];
  const report = await checkInvariants(emulator, files, key.identity, []);
  expect(report.duplicates).toEqual([]);
  expect(report.unsealed).toEqual([]);
  expect(report.live).toHaveLength(150);
  // Both really raced: together they created more tokens than the manifest declares.
  expect(emulator.store.tokens().length).toBeGreaterThan(150);

  const plan = await provision(['plan', '--detailed-exitcode']);
  expect(plan.code, plan.stdout).toBe(0);
}, 120_000);
