// Apply efficiency: N creates against the emulator at --latency 50, concurrency c, measured
// as the wall time of the whole `provision apply` process (start-up, manifest, planning list,
// sealing) and of its apply phase alone (the summary line's "in X s"), against the ideal
// ceil(N/c) × 50 ms, beside the same creates done by `xargs -P c curl` and by a bare Node
// fetch loop, each on a fresh emulator process. Run after `npm run build`:
//   node test/bench/apply.bench.mjs            (N = 1,000 at c = 8, 16, 32; about 1 minute)
//   BENCH_LARGE=1 node test/bench/apply.bench.mjs   (adds N = 10,000 at c = 16, 32; ~10 min)
//   BENCH_REPEAT=3 …   (median of 3 runs per cell)   BENCH_PROFILE=0 …   (never profile)
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAgeKey } from './lib/age-key.mjs';
import { applyRunners } from './lib/apply-runs.mjs';
import { summariseCpuProfile } from './lib/cpu-profile.mjs';
import { load1, machineLine, median, printTable, ratio, seconds } from './lib/report.mjs';

const LATENCY = 50;
const LARGE = process.env.BENCH_LARGE === '1';
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
const CELLS = [
  [1_000, 8],
  [1_000, 16],
  [1_000, 32],
  ...(LARGE
    ? [
        [10_000, 16],
        [10_000, 32],
      ]
    : []),
];

const work = mkdtempSync(join(tmpdir(), 'provision-apply-bench-'));
const key = await makeAgeKey(work);
const runners = applyRunners({ work, recipient: key.recipient, latencyMs: LATENCY });
const curl = runners.haveCurl;

const cellOf = (runs, pick) => median(runs.map((r) => (r === undefined ? undefined : pick(r))));

console.log(`### apply: N creates at --latency ${LATENCY} ms, ideal = ceil(N/c) × ${LATENCY} ms\n`);
console.log(`${machineLine()}; ${REPEAT === 1 ? 'one run' : `median of ${REPEAT} runs`} per cell.`);
if (!LARGE)
  console.log('N = 10,000 rows skipped (about 10 minutes with the curl loop): set BENCH_LARGE=1.');
if (!curl) console.log('curl or xargs is not installed: the curl column is empty.');
console.log();
const results = [];
for (const [n, c] of CELLS) {
  const runs = { cli: [], curl: [], fetch: [], load: [] };
  for (let r = 0; r < REPEAT; r += 1) {
    runs.load.push(Number(load1()));
    runs.cli.push(await runners.cli(n, c));
    runs.curl.push(await runners.curl(n, c));
    runs.fetch.push(await runners.fetch(n, c));
  }
  results.push({ n, c, ideal: Math.ceil(n / c) * LATENCY, ...runs });
}

const wall = [];
const cpu = [];
for (const { n, c, ideal, cli, curl: curls, fetch, load } of results) {
  const cliWall = cellOf(cli, (r) => r.wallMs);
  const applyMs = cellOf(cli, (r) => r.applyMs);
  const curlWall = cellOf(curls, (r) => r.wallMs);
  const fetchWall = cellOf(fetch, (r) => r.wallMs);
  const cell = (ms) => (ms === undefined ? 'n/a' : seconds(ms));
  wall.push([
    n.toLocaleString('en'),
    c,
    seconds(ideal),
    cell(cliWall),
    ratio(ideal / cliWall),
    cell(applyMs),
    ratio(ideal / applyMs),
    cell(curlWall),
    ratio(ideal / curlWall),
    cell(fetchWall),
    ratio(ideal / fetchWall),
    ratio(curlWall / cliWall),
  ]);
  const cliCpu = cellOf(cli, (r) => r.cpuMs);
  cpu.push([
    n.toLocaleString('en'),
    c,
    cell(cliCpu),
    `${(cliCpu / n).toFixed(2)} ms`,
    `${cellOf(cli, (r) => r.rssMb)?.toFixed(0)} MB`,
    cell(cellOf(cli, (r) => r.emulatorCpuMs)),
    cell(cellOf(curls, (r) => r.emulatorCpuMs)),
    median(load)?.toFixed(2),
  ]);
}
printTable(
  [
    'N',
    'c',
    'ideal',
    'provision apply (whole process)',
    'eff.',
    'apply phase ("in X s")',
    'eff.',
    `xargs -P c curl`,
    'eff.',
    'bare Node fetch loop (process)',
    'eff.',
    'curl ÷ provision',
  ],
  wall,
);
console.log('\nCPU (user + system) of the measured processes:\n');
printTable(
  [
    'N',
    'c',
    'provision CPU',
    'CPU per create',
    'provision peak RSS',
    'emulator CPU (provision run)',
    'emulator CPU (curl run)',
    'load avg at start',
  ],
  cpu,
);

const target = results.find((r) => r.n === 1_000 && r.c === 16);
const eff = target.ideal / cellOf(target.cli, (r) => r.applyMs);
const whole = target.ideal / cellOf(target.cli, (r) => r.wallMs);
const curlWall = cellOf(target.curl, (r) => r.wallMs);
const fasterThanCurl =
  curlWall === undefined ? undefined : cellOf(target.cli, (r) => r.wallMs) <= curlWall;
console.log(
  `\nTarget at N = 1,000, c = 16: efficiency ≥ 0.85 — apply phase ${ratio(eff)} (${eff >= 0.85 ? 'met' : 'MISSED'}), whole process ${ratio(whole)} (${whole >= 0.85 ? 'met' : 'MISSED'}); no slower than the curl loop — ${fasterThanCurl === undefined ? 'n/a' : fasterThanCurl ? 'met' : 'MISSED'}.`,
);

if (eff < 0.85 && process.env.BENCH_PROFILE !== '0') {
  const profileDir = join(work, 'profile');
  const profiled = await runners.cli(1_000, 16, { profileDir });
  const { totalMs, rows, phase } = summariseCpuProfile(
    join(profileDir, readdirSync(profileDir)[0]),
  );
  console.log(
    `\nWhere the time goes (node --cpu-prof of one more run, N = 1,000, c = 16; profiled wall ${seconds(profiled.wallMs)}, apply phase ${seconds(profiled.applyMs)}):\n`,
  );
  printTable(
    ['where', 'ms', 'share'],
    rows.map(([family, ms]) => [family, ms.toFixed(0), `${((ms / totalMs) * 100).toFixed(0)} %`]),
    ['l'],
  );
  console.log(
    `\nMain thread: ${seconds(phase.beforeMs)} before the apply phase (start-up, manifest, plan); ` +
      `in the apply phase ${seconds(phase.busyMs)} busy and ${seconds(phase.idleMs)} idle ` +
      '(waiting on sockets, fsync or timers).',
  );
}
rmSync(work, { recursive: true, force: true });
