// Cold start: wall time of whole processes, from spawn to exit, for `node -e 0` (the floor),
// `provision --version` and `provision validate -f examples/tokens.yaml`. The commands take
// turns round by round, so a burst of load elsewhere hits them all alike. Run after
// `npm run build`: `node test/bench/cold-start.bench.mjs` (BENCH_RUNS=15 by default).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, REPO } from './lib/paths.mjs';
import { load1, machineLine, percentile, printTable } from './lib/report.mjs';
import { runTimed } from './lib/run-timed.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 15));
const EXAMPLE = 'examples/tokens.yaml';

const commands = [
  { label: '`node -e 0` (floor)', args: ['-e', '0'] },
  { label: '`provision --version`', args: [BIN, '--version'], targetMs: 300 },
];
if (existsSync(join(REPO, EXAMPLE))) {
  commands.push({
    label: `\`provision validate -f ${EXAMPLE}\``,
    args: [BIN, 'validate', '-f', EXAMPLE],
    targetMs: 500,
  });
}

const loadBefore = load1();
// One untimed round first: it pulls the files into the page cache, as any second run finds them.
for (const command of commands) await run(command);
const times = commands.map(() => []);
for (let round = 0; round < RUNS; round += 1) {
  for (const [i, command] of commands.entries()) times[i].push(await run(command));
}

async function run(command) {
  const result = await runTimed(process.execPath, command.args, { cwd: REPO });
  if (result.code !== 0) {
    throw new Error(`${command.label} exited with ${result.code}: ${result.stderr.slice(-500)}`);
  }
  return result.wallMs;
}

console.log(`### cold start: ${RUNS} runs of each, wall time from spawn to exit\n`);
console.log(`${machineLine()} (before: ${loadBefore}, after: ${load1()}).\n`);
if (commands.length < 3) console.log(`${EXAMPLE} does not exist yet: validate skipped.\n`);
const ms = (value) => `${value.toFixed(0)} ms`;
printTable(
  ['command', 'min', 'median', 'p90', 'max', 'target (median)', 'verdict'],
  commands.map((command, i) => {
    const sorted = times[i].sort((a, b) => a - b);
    const median = percentile(sorted, 50);
    const verdict =
      command.targetMs === undefined ? '' : median <= command.targetMs ? 'met' : 'MISSED';
    return [
      command.label,
      ms(sorted[0]),
      ms(median),
      ms(percentile(sorted, 90)),
      ms(sorted.at(-1)),
      command.targetMs === undefined ? '-' : `< ${command.targetMs} ms`,
      verdict,
    ];
  }),
  ['l'],
);
