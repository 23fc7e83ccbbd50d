// `provision validate` time and peak memory for generated manifests of 1,000 and 10,000 tokens
// (declared one by one: the worst case), and 10,000 tokens stamped out by templates.
// Run after `npm run build`: `node test/bench/validate.bench.mjs`.
// Each manifest is validated in its own child process, so the peak RSS is its own.
// Target (issue 2): under 1 s and under 200 MB for 10,000 tokens.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '../../dist/manifest/load-manifest.js');
const bin = join(here, '../../bin/provision.js');

if (process.argv[2] === '--child') {
  // One cold validation, as `provision validate` does it: import, compile the schema, load.
  const file = process.argv[3];
  const start = process.hrtime.bigint();
  const { loadManifest } = await import(dist);
  const result = await loadManifest(file, { now: new Date() });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (!result.ok) throw new Error(`generated manifest is invalid: ${result.issues[0]?.message}`);
  process.stdout.write(
    JSON.stringify({
      ms,
      tokens: result.manifest.tokens.length,
      heapMb: process.memoryUsage().heapUsed / 2 ** 20,
      peakMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
} else {
  if (!existsSync(dist)) {
    process.stderr.write('validate.bench: run `npm run build` first\n');
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'provision-validate-bench-'));
  try {
    const cases = [
      ['1,000 declared tokens', declared(1_000)],
      ['10,000 declared tokens', declared(10_000)],
      ['10,000 tokens from templates', templated(1_000, 10)],
      // 50,000 declared tokens would be 5.9 MiB, over the loader's 5 MiB limit: the
      // largest declared manifest it accepts is about 40,000 tokens.
      ['40,000 declared tokens', declared(40_000)],
      ['50,000 tokens from templates', templated(5_000, 10)],
    ];
    const rows = [];
    for (const [label, text] of cases) {
      const file = join(dir, `${rows.length}.yaml`);
      writeFileSync(file, text);
      const runs = [0, 1, 2].map(() =>
        JSON.parse(
          execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', file], {
            encoding: 'utf8',
          }),
        ),
      );
      runs.sort((a, b) => a.ms - b.ms);
      const median = runs[1];
      const cli = timeCli(file);
      rows.push(
        `| ${label} | ${median.tokens} | ${(statSync(file).size / 2 ** 20).toFixed(2)} MiB | ${median.ms.toFixed(0)} ms | ${cli.toFixed(0)} ms | ${Math.max(...runs.map((r) => r.peakMb)).toFixed(0)} MB | ${median.heapMb.toFixed(0)} MB |`,
      );
    }
    process.stdout.write(
      [
        '| manifest | tokens | size | load + validate + expand (median of 3, cold process) | `provision validate` wall time | peak RSS (max of 3) | heap used after |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tokens written out one by one, each with a description, read and write lists and an expiry. */
function declared(count) {
  const lines = [
    'version: 1',
    'defaults:',
    '  expiresIn: 90d',
    'policy:',
    '  requireExpiry: true',
    '  forbidWildcardWrite: true',
    'tokens:',
  ];
  for (let i = 0; i < count; i += 1) {
    const db = `db_${i % 200}`;
    lines.push(
      `  - name: service-${i}`,
      `    description: Service ${i} ingest and dashboards`,
      `    read: [${db}, shared_metrics]`,
    );
    if (i % 2 === 0) lines.push(`    write: [${db}]`);
    if (i % 10 === 0) lines.push('    rotateAfter: 60d', '    overlap: 7d');
  }
  return `${lines.join('\n')}\n`;
}

/** `teams` teams of `perTeam / 2` databases each, and two per-database templates. */
function templated(teams, perTeam) {
  const lines = ['version: 1', 'defaults:', '  expiresIn: 90d', 'teams:'];
  for (let t = 0; t < teams; t += 1) {
    const dbs = Array.from({ length: perTeam / 2 }, (_, d) => `team${t}_db${d}`);
    lines.push(`  - name: team-${t}`, `    databases: [${dbs.join(', ')}]`);
  }
  lines.push(
    'templates:',
    '  - name: "{team}-{database}-writer"',
    '    per: database',
    '    write: ["{database}"]',
    '  - name: "{team}-{database}-reader"',
    '    per: database',
    '    read: ["{database}"]',
  );
  return `${lines.join('\n')}\n`;
}

function timeCli(file) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [bin, 'validate', '-f', file], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`provision validate failed: ${run.stderr}`);
  return ms;
}
