// Soak: 10,000 tokens across 200 teams (5 per-database templates × 10 databases per team, one
// sealed file per team) applied with every fault knob of the emulator on, after 20 hand-made
// (unmanaged) tokens; then planned again. Reports the run time, retries, reconciliations and
// the three invariants, checked against the emulator's token list and the decrypted secrets.
// Run after `npm run build`: `node test/bench/soak.bench.mjs` (a few minutes on 2 cores).
// BENCH_SOAK_TEAMS=20 gives a 1,000-token version.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAgeKey } from './lib/age-key.mjs';
import { startEmulatorProcess } from './lib/emulator-process.mjs';
import { checkInvariants, readAllSecrets } from './lib/invariants.mjs';
import { createUnmanaged, listSettled, managementClient } from './lib/management.mjs';
import { teamDatabases, teamName, teamsManifest } from './lib/manifests.mjs';
import { load1, machineLine, printTable, seconds } from './lib/report.mjs';
import { runCli } from './lib/run-timed.mjs';

const TEAMS = Number(process.env.BENCH_SOAK_TEAMS ?? 200);
const DATABASES_PER_TEAM = 10;
const TEMPLATES = 5;
const CONCURRENCY = 32;
const LIST_LAG_MS = 500;
const FAULTS = ['--latency', '20', '--jitter', '10', '--error-rate', '0.05'];
FAULTS.push('--rate-limit-rate', '0.03', '--ambiguous-rate', '0.01');
FAULTS.push('--list-lag', String(LIST_LAG_MS), '--max-inflight', '64', '--seed', '1');

const work = mkdtempSync(join(tmpdir(), 'provision-soak-bench-'));
const key = await makeAgeKey(work);
const teams = Array.from({ length: TEAMS }, (_, i) => teamName(i));
const databases = teams.flatMap((team) => teamDatabases(team, DATABASES_PER_TEAM));
const desiredNames = teams.flatMap((team) =>
  teamDatabases(team, DATABASES_PER_TEAM).flatMap((db) =>
    Array.from({ length: TEMPLATES }, (_, t) => `${team}-${db}-role${t}`),
  ),
);
writeFileSync(join(work, 'databases.txt'), `${databases.join('\n')}\n`);
writeFileSync(
  join(work, 'tokens.yaml'),
  teamsManifest({
    teams: TEAMS,
    databasesPerTeam: DATABASES_PER_TEAM,
    templates: TEMPLATES,
    recipient: key.recipient,
  }),
);

const loadBefore = load1();
const emulator = await startEmulatorProcess([
  ...FAULTS,
  '--databases-file',
  join(work, 'databases.txt'),
]);
try {
  const client = await managementClient(emulator);
  await createUnmanaged(client, 20, databases[0]);
  const unmanagedBefore = (await listSettled(client, LIST_LAG_MS + 100)).filter(
    (token) => token.revokedAt === undefined,
  );

  const apply = await runCli(
    ['apply', '-f', 'tokens.yaml', '--yes', '--json', '--concurrency', String(CONCURRENCY)],
    { env: emulator.env, cwd: work, timeoutMs: 20 * 60_000 },
  );
  const events = apply.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  const summary = events.find((event) => event.type === 'summary');
  const retriesByStatus = new Map();
  for (const event of events.filter((e) => e.type === 'retry')) {
    const status = event.status ?? 'network';
    retriesByStatus.set(status, (retriesByStatus.get(status) ?? 0) + 1);
  }
  const failures = events.filter((e) => e.type === 'result' && e.result.status === 'failed');
  // A create that got a 5xx or lost its response is sent again (step "reconciling").
  const resent = events.filter((e) => e.type === 'step' && e.step === 'reconciling').length;

  const plan = await runCli(['plan', '-f', 'tokens.yaml', '--detailed-exitcode'], {
    env: emulator.env,
    cwd: work,
  });
  const tokens = await listSettled(client, LIST_LAG_MS + 100);
  const secrets = await readAllSecrets(join(work, 'secrets'), key.identity);
  const found = await checkInvariants({
    tokens,
    records: secrets.records,
    unmanagedBefore,
    desiredNames,
  });

  console.log(`### soak: ${desiredNames.length.toLocaleString('en')} tokens, ${TEAMS} teams\n`);
  console.log(`${machineLine()} (before: ${loadBefore}, after: ${load1()}).`);
  console.log(`Emulator: ${FAULTS.join(' ')}; apply --concurrency ${CONCURRENCY}.\n`);
  const counts = summary?.counts ?? {};
  printTable(
    ['step', 'result'],
    [
      ['unmanaged tokens made first', `${unmanagedBefore.length}`],
      ['apply: exit code, wall time', `${apply.code}, ${seconds(apply.wallMs)}`],
      ['apply: phase time (summary)', summary ? seconds(summary.elapsedMs) : 'no summary'],
      [
        'apply: created / failed / skipped',
        `${counts.create} / ${counts.failed} / ${counts.skipped}`,
      ],
      ['apply: retries (summary line / JSON summary)', `${summary?.retries}`],
      [
        'apply: retry events in the JSON stream',
        [...retriesByStatus].map(([s, n]) => `${s}: ${n}`).join(', '),
      ],
      ['apply: creates sent again after an unknown outcome', `${resent}`],
      ['apply: lost creates reconciled', `${summary?.reconciliations}`],
      [
        'apply: CPU, peak RSS',
        `${seconds(apply.usage?.cpuMs ?? NaN)}, ${apply.usage?.maxRssMb.toFixed(0)} MB`,
      ],
      ['emulator CPU (whole run)', seconds(emulator.cpuMs() ?? NaN)],
      ['plan again: exit code (0 = no changes)', `${plan.code}, ${seconds(plan.wallMs)}`],
      ['plan again: last line', plan.stdout.trim().split('\n').at(-1) ?? ''],
      ['secrets files, records', `${secrets.files}, ${secrets.records.length}`],
      ['live tokens after', `${found.live}`],
    ],
    ['l', 'l'],
  );
  console.log();
  const verdict = (list) =>
    list.length === 0 ? 'holds' : `BROKEN: ${list.slice(0, 5).join(', ')}`;
  printTable(
    ['invariant', 'count', 'verdict'],
    [
      [
        'no duplicates (≤ 1 live non-retiring token per name)',
        found.duplicates.length,
        verdict(found.duplicates),
      ],
      [
        'no managed live token without its sealed string',
        found.unsealed.length,
        verdict(found.unsealed),
      ],
      [
        'no unmanaged token touched',
        found.touchedUnmanaged.length,
        verdict(found.touchedUnmanaged),
      ],
      [
        'converged: every desired name has a live token',
        found.missing.length,
        verdict(found.missing),
      ],
    ],
    ['l'],
  );
  if (failures.length > 0) {
    console.log(`\nFailed changes (first 5 of ${failures.length}):`);
    for (const f of failures.slice(0, 5)) console.log(`- ${f.result.name}: ${f.result.error}`);
  }
  if (apply.code !== 0 && summary === undefined)
    console.log(`\napply stderr:\n${apply.stderr.slice(-1500)}`);
  console.log(
    '\nCrash safety (SIGKILL at random points, then re-apply) is a test, not this benchmark:\n' +
      '`PROVISION_KILL_POINTS=50 PROVISION_KILL_TOKENS=1000 npx vitest run test/apply/sigkill.test.ts`.',
  );
} finally {
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
}
