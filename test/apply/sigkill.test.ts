import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeAgeKey } from '../helpers/age-keys.js';
import { emulatorEnv, runCli } from '../helpers/cli.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { generateManifest } from '../helpers/generate-manifest.js';
import { parseMarker } from '../../src/plan/marker.js';
import { startTestFaultProxy } from '../helpers/fault-proxy.js';
import { checkInvariants, currentManagedIds, revokedBeforeOverlap } from '../helpers/invariants.js';

// CI runs 10 kill points of a 120-token apply, the service stamping whole seconds, behind a
// proxy that resets 10% of connections after the server committed, half the tokens rotating
// under a 7-day overlap; the hardening run uses PROVISION_KILL_POINTS=50
// PROVISION_KILL_TOKENS=1000 (and PROVISION_KILL_RESET_RATE=0.3). PROVISION_KILL_PRECISION=ms
// and PROVISION_KILL_RESET_RATE=0 give the emulator's defaults.
const POINTS = Number(process.env.PROVISION_KILL_POINTS ?? 10);
const TOKENS = Number(process.env.PROVISION_KILL_TOKENS ?? 120);
const RESET_RATE = Number(process.env.PROVISION_KILL_RESET_RATE ?? 0.1);
const PRECISION = process.env.PROVISION_KILL_PRECISION === 'ms' ? 'ms' : 's';
// Kills land anywhere from start-up to the end of the apply, which grows with its size.
const KILL_WINDOW_MS = Math.max(900, TOKENS * 3);
const DATABASES = ['metrics', 'logs', 'traces'];

/** A seeded PRNG, so a failing kill point can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

it(`keeps every invariant when apply is killed with SIGKILL at ${POINTS} random points`, async () => {
  const random = mulberry32(Number(process.env.PROVISION_KILL_SEED ?? 7));
  const emulator = await startTestEmulator({
    databases: DATABASES,
    latencyMs: 4,
    seed: 3,
    timePrecision: PRECISION,
  });
  const proxy = await startTestFaultProxy({
    target: { host: '127.0.0.1', port: emulator.port },
    resetRate: RESET_RATE,
    seed: Number(process.env.PROVISION_KILL_SEED ?? 7),
  });
  const dir = mkdtempSync(join(tmpdir(), 'provision-kill-'));
  const key = await makeAgeKey(dir);
  const env = { ...emulatorEnv(emulator), INFLUX_MANAGEMENT_URL: proxy.rewrite(emulator.url) };
  // Every round replaces every token on purpose: past the mass-revoke guard. The emulator's
  // list never lags here (list lag is apply-under-faults' subject), so the sweep after a lost
  // create need not wait for it.
  const apply = [
    'apply',
    '--yes',
    '--allow-mass-revoke',
    '--list-settle',
    '0s',
    '--recipient',
    key.recipient,
    '--secrets-file',
    'tokens.sealed',
  ];
  const kills: string[] = [];

  for (let point = 0; point < POINTS; point += 1) {
    // Every round changes every token's expiry, so each apply creates or replaces them all:
    // the kill lands amid creates, seals, revokes of old tokens and retirements alike.
    writeFileSync(
      join(dir, 'tokens.yaml'),
      withOverlapOnHalf(generateManifest(TOKENS, DATABASES, `\n    expiresIn: ${30 + point}d`)),
    );
    // The old tokens a rotation under overlap must keep until their overlap ends.
    const overlapping = currentManagedIds(emulator).filter((id) => hasOverlap(emulator, id));
    const killAfterMs = 250 + Math.floor(random() * KILL_WINDOW_MS);
    const killed = await runCli(apply, { cwd: dir, env, killAfterMs });
    kills.push(`${killAfterMs} ms: ${killed.signal ?? `exit ${killed.code}`}`);

    const rerun = await runCli(apply, { cwd: dir, env });
    expect(rerun.stderr, `after kill at ${killAfterMs} ms`).toBe('');
    expect(rerun.code, `after kill at ${killAfterMs} ms`).toBe(0);

    // Every round reads the plaintext index; the last one decrypts every record too (the
    // file grows by a full set of tokens per round, so decrypting each time is quadratic).
    const last = point === POINTS - 1;
    const report = await checkInvariants(emulator, [join(dir, 'tokens.sealed')], key.identity, [], {
      decrypt: last,
    });
    if (last) expect(report.records.length).toBeGreaterThanOrEqual(TOKENS);
    expect(report.duplicates, `after kill at ${killAfterMs} ms`).toEqual([]);
    expect(report.unsealed, `after kill at ${killAfterMs} ms`).toEqual([]);
    expect(report.mismatched, `after kill at ${killAfterMs} ms`).toEqual([]);
    expect(currentManagedIds(emulator)).toHaveLength(TOKENS);
    expect(revokedBeforeOverlap(emulator, overlapping), `after kill at ${killAfterMs} ms`).toEqual(
      [],
    );

    const plan = await runCli(['plan', '--detailed-exitcode'], { cwd: dir, env });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  }
  // At least some kills must have landed mid-apply for the test to mean anything.
  expect(kills.filter((k) => k.endsWith('SIGKILL')).length).toBeGreaterThanOrEqual(
    Math.ceil(POINTS / 2),
  );
}, 1_800_000);

/** Even-numbered tokens rotate under a 7-day overlap; the others revoke their old token at once. */
function withOverlapOnHalf(manifest: string): string {
  return manifest.replace(
    /( {2}- name: token-\d*[02468]\n(?: {4}.*\n)*)/g,
    (block) => `${block}    overlap: 7d\n`,
  );
}

function hasOverlap(
  emulator: { store: { tokens(): { id: string; description: string }[] } },
  id: string,
): boolean {
  const token = emulator.store.tokens().find((t) => t.id === id);
  const name = token === undefined ? undefined : parseMarker(token.description)?.name;
  return name !== undefined && /[02468]$/.test(name);
}
