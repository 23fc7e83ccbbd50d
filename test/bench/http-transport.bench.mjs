// What one create costs the client, by HTTP stack: provision's Management client (ky over its
// node:http transport) beside ky over global fetch, bare fetch and bare node:http keep-alive,
// each in its own process against one emulator (--latency 0), the candidates taking turns.
// CPU per call is the figure that matters: at c ≥ 16 on two cores the apply is CPU-bound.
//   node test/bench/http-transport.bench.mjs   (BENCH_CALLS=3000, BENCH_CONCURRENCY=32, BENCH_REPEAT=3)
// With the `undici` package installed, its Agent under ky and its `request` are compared too.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { startEmulatorProcess } from './lib/emulator-process.mjs';
import { load1, machineLine, median, printTable } from './lib/report.mjs';

const CALLS = Number(process.env.BENCH_CALLS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const CHILD = fileURLToPath(new URL('./lib/http-candidate.mjs', import.meta.url));
let haveUndici = true;
try {
  createRequire(import.meta.url).resolve('undici');
} catch {
  haveUndici = false;
}
const candidates = [
  'provision-client',
  'ky+fetch',
  ...(haveUndici ? ['ky+fetch+undici-agent', 'undici.request'] : []),
  'fetch',
  'node:http',
];

const emulator = await startEmulatorProcess(['--latency', '0', '--database', 'db0']);
const env = {
  ...process.env,
  BASE: emulator.url,
  ACCOUNT: emulator.accountId,
  CLUSTER: emulator.clusterId,
  TOKEN: emulator.managementToken,
};
const runs = new Map(candidates.map((name) => [name, []]));
const loads = [];
for (let r = 0; r < REPEAT; r += 1) {
  for (const name of candidates) {
    loads.push(Number(load1()));
    const child = spawnSync(process.execPath, [CHILD, name, String(CALLS), String(CONCURRENCY)], {
      env,
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr.slice(-1000)}`);
    runs.get(name).push(JSON.parse(child.stdout));
  }
}
await emulator.stop();

console.log(`### HTTP stack: ${CALLS} creates at c = ${CONCURRENCY}, emulator --latency 0\n`);
console.log(
  `${machineLine()}; median of ${REPEAT} interleaved runs; load at start ${median(loads)?.toFixed(2)}.`,
);
if (!haveUndici) console.log('undici is not installed: its candidates are left out.');
console.log();
printTable(
  ['client', 'CPU per call', 'wall'],
  candidates.map((name) => [
    name,
    `${median(runs.get(name).map((x) => x.cpuPerCallUs)).toFixed(0)} µs`,
    `${(median(runs.get(name).map((x) => x.ms)) / 1000).toFixed(2)} s`,
  ]),
  ['l'],
);
