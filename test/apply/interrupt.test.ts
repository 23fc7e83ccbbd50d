import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startTestProject } from '../helpers/project.js';
import { generateManifest } from '../helpers/generate-manifest.js';
import { checkInvariants } from '../helpers/invariants.js';

it('on Ctrl-C stops starting work, seals what was in flight, exits 1, and a re-run finishes', async () => {
  const { dir, key, emulator, provision, applyArgs } = await startTestProject({
    prefix: 'interrupt',
    manifest: generateManifest(300, ['metrics']),
    // Slow enough that the interrupt lands with most of the work not yet started.
    emulator: { databases: ['metrics'], latencyMs: 40 },
  });
  const args = applyArgs('--concurrency', '4');

  // Ctrl-C once the apply is under way (a few tokens created), whatever the machine's speed.
  const interrupted = await provision(args, {
    interruptWhen: (stdout) => (stdout.match(/^created /gm) ?? []).length >= 3,
  });
  expect(interrupted.code, interrupted.stdout + interrupted.stderr).toBe(1);
  expect(interrupted.signal).toBeNull(); // it exited by itself, after finishing in-flight work
  expect(interrupted.stderr).toMatch(
    /Interrupted: finishing \d+ in flight; no new changes start\./,
  );
  expect(interrupted.stdout).toMatch(
    /Interrupted: \d+ changes were not started; run apply again to finish\./,
  );
  // What never started is skipped, not failed: the summary says so, and no line says failed.
  expect(interrupted.stdout).toMatch(/Apply incomplete: \d+ created, .* 0 failed/);
  expect(interrupted.stdout).not.toMatch(/^failed /m);

  const file = join(dir, 'tokens.sealed');
  const partial = await checkInvariants(emulator, [file], key.identity, []);
  expect(partial.unsealed).toEqual([]);
  expect(partial.live.length).toBeGreaterThan(0);
  expect(partial.live.length).toBeLessThan(300);

  const rerun = await provision(args);
  expect(rerun.code).toBe(0);
  const done = await checkInvariants(emulator, [file], key.identity, []);
  expect(done).toMatchObject({ duplicates: [], unsealed: [] });
  expect(done.live).toHaveLength(300);
}, 60_000);
