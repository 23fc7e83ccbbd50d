// The three ways the apply benchmark makes N creates, each against its own fresh emulator
// process: `provision apply`, `xargs -P c curl`, and a bare Node fetch loop.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { curlCreates, haveCurl } from './curl-loop.mjs';
import { startEmulatorProcess } from './emulator-process.mjs';
import { flatCreateBodies, flatManifest } from './manifests.mjs';
import { runCli, runTimed } from './run-timed.mjs';

const FETCH_LOOP = fileURLToPath(new URL('./fetch-loop.mjs', import.meta.url));

/**
 * Runners for one benchmark: `cli(n, c, { profileDir })`, `curl(n, c)` (undefined without
 * curl) and `fetch(n, c)`, each resolving wall times; scratch files go under `work`. `bin`
 * measures another build's `provision apply` (the emulator stays this checkout's).
 */
export function applyRunners({ work, recipient, latencyMs, database = 'db0', bin }) {
  const emulatorArgs = ['--latency', String(latencyMs), '--database', database];
  const curl = haveCurl();

  async function cli(n, c, { profileDir } = {}) {
    const dir = mkdtempSync(join(work, 'cli-'));
    writeFileSync(join(dir, 'tokens.yaml'), flatManifest(n, database));
    const emulator = await startEmulatorProcess(emulatorArgs);
    const nodeArgs = profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir];
    const args = ['apply', '-f', 'tokens.yaml', '--yes', '--recipient', recipient];
    args.push('--secrets-file', 's.sealed', '--concurrency', String(c));
    const run = await runCli(args, { env: emulator.env, cwd: dir, nodeArgs, bin });
    const emulatorCpuMs = emulator.cpuMs();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
    const summary = /Apply complete: (\d+) created, .* in ([\d.]+) s/.exec(run.stdout);
    if (run.code !== 0 || summary === null || Number(summary[1]) !== n) {
      throw new Error(`apply N=${n} c=${c} failed (exit ${run.code}):\n${run.stderr.slice(-2000)}`);
    }
    return {
      wallMs: run.wallMs,
      applyMs: Number(summary[2]) * 1000,
      cpuMs: run.usage?.cpuMs,
      rssMb: run.usage?.maxRssMb,
      emulatorCpuMs,
    };
  }

  async function curlLoop(n, c) {
    if (!curl) return undefined;
    const dir = mkdtempSync(join(work, 'curl-'));
    const emulator = await startEmulatorProcess(emulatorArgs);
    const result = await curlCreates(emulator, await flatCreateBodies(n, database), c, dir);
    result.emulatorCpuMs = emulator.cpuMs();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
    if (result.failed > 0) {
      console.error(`curl loop N=${n} c=${c}: ${result.failed} failed ${result.errors.join('; ')}`);
    }
    return result;
  }

  async function fetchLoop(n, c) {
    const bodies = join(work, 'bodies.json');
    writeFileSync(bodies, JSON.stringify(await flatCreateBodies(n, database)));
    const emulator = await startEmulatorProcess(emulatorArgs);
    const run = await runTimed(process.execPath, [FETCH_LOOP, bodies, String(c)], {
      env: { TOKENS_URL: emulator.tokensUrl, MANAGEMENT_TOKEN: emulator.managementToken },
    });
    await emulator.stop();
    if (run.code !== 0) throw new Error(`fetch loop failed: ${run.stderr.slice(-1000)}`);
    return { wallMs: run.wallMs, ...JSON.parse(run.stdout) };
  }

  return { cli, curl: curlLoop, fetch: fetchLoop, haveCurl: curl };
}
