// Apply efficiency: N creates against the emulator at --latency 50, concurrency c, measured
// as the wall time of the whole `provision apply` process (start-up, manifest, planning list,
// sealing) and of its apply phase alone (the summary line's "in X s"), against the ideal
// ceil(N/c) × 50 ms, beside the same creates done by `xargs -P c curl` and by a bare Node
// fetch loop, each on a fresh emulator process. Run after `npm run build`:
//   node test/bench/apply.bench.mjs            (N = 1,000 at c = 8, 16, 32; about 1 minute)
//   BENCH_LARGE=1 node test/bench/apply.bench.mjs   (adds N = 10,000 at c = 16, 32; ~10 min)
//   BENCH_REPEAT=3 …   (median of 3 runs per cell, the three ways taking turns)
//   BENCH_CURL=0 …     (skip the curl loop: at N = 10,000 it takes most of the time)
//   BENCH_PROFILE=0 …  (never profile; otherwise a missed target profiles one run at c = 32)
// Targets (issue 16): whole process ≤ 1.10 × the bare loop's wall time at c = 16 and 32;
// efficiency ≥ 0.85 at c = 16 and ≥ 0.75 at c = 32 (N = 1,000, start-up included); CPU per
// create ≤ 1.5 ms; peak RSS at 10,000 creates ≤ 250 MB.
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
const curl = runners.haveCurl && process.env.BENCH_CURL !== '0';

const cellOf = (runs, pick) => median(runs.map((r) => (r === undefined ? undefined : pick(r))));

console.log(`### apply: N creates at --latency ${LATENCY} ms, ideal = ceil(N/c) × ${LATENCY} ms\n`);
console.log(`${machineLine()}; ${REPEAT === 1 ? 'one run' : `median of ${REPEAT} runs`} per cell.`);
if (!LARGE)
  console.log('N = 10,000 rows skipped (about 10 minutes with the curl loop): set BENCH_LARGE=1.');
if (!curl) console.log('curl loop skipped (BENCH_CURL=0, or curl or xargs is not installed).');
console.log();
const results = [];
for (const [n, c] of CELLS) {
  const runs = { cli: [], curl: [], fetch: [], load: [] };
  for (let r = 0; r < REPEAT; r += 1) {
    runs.load.push(Number(load1()));
    runs.cli.push(await runners.cli(n, c));
    runs.curl.push(curl ? await runners.curl(n, c) : undefined);
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
    ratio(cliWall / fetchWall),
    ratio(curlWall / cliWall),
  ]);
  const cliCpu = cellOf(cli, (r) => r.cpuMs);
  cpu.push([
    n.toLocaleString('en'),
    c,
    cell(cliCpu),
    `${(cliCpu / n).toFixed(2)} ms`,
    `${cellOf(cli, (r) => r.rssMb)?.toFixed(0)} MB`,
    `${(cellOf(fetch, (r) => r.cpuMs) / n).toFixed(2)} ms`,
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
    'provision ÷ bare loop',
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
    'bare loop CPU per create',
    'emulator CPU (provision run)',
    'emulator CPU (curl run)',
    'load avg at start',
  ],
  cpu,
);

const verdict = (ok) => (ok ? 'met' : 'MISSED');
const lines = [];
let missed = false;
for (const { n, c, ideal, cli, fetch } of results) {
  if (c < 16) continue;
  const cliWall = cellOf(cli, (r) => r.wallMs);
  const vsBare = cliWall / cellOf(fetch, (r) => r.wallMs);
  const cpuPer = cellOf(cli, (r) => r.cpuMs) / n;
  const parts = [`≤ 1.10 × bare loop: ${ratio(vsBare)} (${verdict(vsBare <= 1.1)})`];
  parts.push(`CPU per create ≤ 1.5 ms: ${cpuPer.toFixed(2)} ms (${verdict(cpuPer <= 1.5)})`);
  missed ||= vsBare > 1.1 || cpuPer > 1.5;
  if (n === 1_000) {
    const eff = ideal / cliWall;
    const want = c === 16 ? 0.85 : 0.75;
    parts.push(`efficiency ≥ ${want}: ${ratio(eff)} (${verdict(eff >= want)})`);
    missed ||= eff < want;
  }
  if (n === 10_000) {
    const rss = cellOf(cli, (r) => r.rssMb);
    parts.push(`peak RSS ≤ 250 MB: ${rss?.toFixed(0)} MB (${verdict(rss <= 250)})`);
    missed ||= rss > 250;
  }
  lines.push(`- N = ${n.toLocaleString('en')}, c = ${c}: ${parts.join('; ')}`);
}
console.log(`\nTargets (whole process, start-up included):\n${lines.join('\n')}`);

if (missed && process.env.BENCH_PROFILE !== '0') {
  const profileDir = join(work, 'profile');
  const profiled = await runners.cli(1_000, 32, { profileDir });
  const { totalMs, rows, phase } = summariseCpuProfile(
    join(profileDir, readdirSync(profileDir)[0]),
  );
  console.log(
    `\nWhere the time goes (node --cpu-prof of one more run, N = 1,000, c = 32; profiled wall ${seconds(profiled.wallMs)}, apply phase ${seconds(profiled.applyMs)}):\n`,
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
