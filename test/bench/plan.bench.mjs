// Plan time and peak memory for N desired × N actual tokens, no network.
// Run after `npm run build`: `node test/bench/plan.bench.mjs [sizes…]` (default 1000 10000 50000).
// Each size runs in its own child process, so its peak RSS is its own.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');

if (process.argv[2] === '--child') {
  const size = Number(process.argv[3]);
  const { computePlan } = await import('../../dist/plan/compute-plan.js');
  const { withMarker } = await import('../../dist/plan/marker.js');
  const { serialisePlan } = await import('../../dist/plan/serialise-plan.js');
  const { renderPlanText } = await import('../../dist/cli/reporters/plan-text.js');
  const input = buildInput(size, withMarker);
  const baseline = process.memoryUsage().rss;
  const times = [];
  let result;
  let peakAfterOne = 0;
  for (let run = 0; run < 5; run++) {
    result = undefined;
    const start = process.hrtime.bigint();
    result = computePlan(input);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    // The first, cold run is what `provision plan` does; its peak is the memory that matters.
    if (run === 0) peakAfterOne = process.resourceUsage().maxRSS / 1024;
  }
  const cold = times[0];
  const renderStart = process.hrtime.bigint();
  serialisePlan(result.plan);
  renderPlanText(result.plan, { color: false, showUnmanaged: false });
  const renderMs = Number(process.hrtime.bigint() - renderStart) / 1e6;
  times.sort((a, b) => a - b);
  const s = result.plan.summary;
  process.stdout.write(
    JSON.stringify({
      size,
      cold,
      median: times[2],
      peakOneMb: peakAfterOne,
      renderMs,
      baselineMb: baseline / 2 ** 20,
      peakMb: process.resourceUsage().maxRSS / 1024,
      mix: `${s.noop}/${s.update}/${s.replace}/${s.create}/${s.revoke}`,
      problems: result.problems.length,
    }),
  );
} else {
  const sizes = process.argv.slice(2).map(Number);
  const rows = [];
  for (const size of sizes.length > 0 ? sizes : [1_000, 10_000, 50_000]) {
    const out = execFileSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', String(size)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    rows.push(JSON.parse(out));
  }
  console.log('### plan: computePlan, N desired × N actual (no network)\n');
  console.log(
    '| N × N | no-op/update/replace/create/revoke | first (cold) plan | median of 5 | render text + JSON | RSS before planning | peak RSS, one plan | peak RSS, 5 plans + render |',
  );
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.size.toLocaleString('en')} | ${r.mix} | ${r.cold.toFixed(0)} ms | ${r.median.toFixed(0)} ms | ${r.renderMs.toFixed(0)} ms | ${r.baselineMb.toFixed(0)} MB | ${r.peakOneMb.toFixed(0)} MB | ${r.peakMb.toFixed(0)} MB |`,
    );
    if (r.problems !== 0) console.log(`\nunexpected: ${r.problems} plan problems at N=${r.size}`);
  }
  console.log('\nTarget at 10,000 × 10,000: under 1 s and under 250 MB.');
}

/**
 * N desired tokens and N live ones: 70 % unchanged, 10 % with other permissions (update),
 * 10 % expired (replace), 10 % missing (create), and 10 % live but undeclared (revoke, --prune).
 */
function buildInput(size, withMarker) {
  const databases = Array.from({ length: 500 }, (_, i) => `db-${i}`);
  const desired = [];
  const actual = [];
  const tenth = Math.floor(size / 10);
  for (let i = 0; i < size; i++) {
    const name = `token-${String(i).padStart(6, '0')}`;
    const team = i % 7 === 0 ? null : `team-${i % 50}`;
    const permissions = [
      { action: 'read', resource: databases[i % 500] },
      { action: 'write', resource: databases[(i * 7) % 500] },
      { action: 'read', resource: databases[(i * 13) % 500] },
    ];
    desired.push({
      name,
      description: `Token ${i} for ${team ?? 'everyone'}`,
      permissions,
      expiry: { kind: 'in', duration: { text: '90d', ms: 90 * DAY } },
      rotateAfter: { text: '60d', ms: 60 * DAY },
      overlap: i % 2 === 0 ? { text: '7d', ms: 7 * DAY } : null,
      protect: false,
      previousNames: [],
      team,
      source: { file: 'tokens.yaml', line: 10 + i, column: 5 },
      databases: permissions.map((p) => ({
        file: 'tokens.yaml',
        line: 11 + i,
        column: 9,
        database: p.resource,
      })),
    });
    const band = Math.floor(i / tenth);
    if (band === 9) continue; // missing: create
    const createdAt = new Date(NOW.getTime() - 10 * DAY - (i % 1000) * 1000);
    const expired = band === 8;
    actual.push({
      accountId: 'a',
      clusterId: 'c',
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      description: withMarker(`Token ${i} for ${team ?? 'everyone'}`, name),
      permissions: band === 7 ? permissions.slice(1) : [...permissions].reverse(),
      createdAt: createdAt.toISOString(),
      expiresAt: new Date(
        expired ? NOW.getTime() - DAY : createdAt.getTime() + 90 * DAY,
      ).toISOString(),
    });
  }
  const undeclared = size - actual.length;
  for (let i = 0; i < undeclared; i++) {
    actual.push({
      accountId: 'a',
      clusterId: 'c',
      id: `11111111-0000-4000-8000-${String(i).padStart(12, '0')}`,
      description: withMarker('left over', `gone-${i}`),
      permissions: [{ action: 'read', resource: databases[i % 500] }],
      createdAt: NOW.toISOString(),
    });
  }
  return {
    desired,
    actual,
    databases,
    now: NOW,
    options: { prune: true, replace: [], only: [], expiringWithin: null },
    target: { url: 'http://127.0.0.1:1/api/v0', accountId: 'a', clusterId: 'c' },
    manifest: { file: 'tokens.yaml', fingerprint: '0'.repeat(64) },
  };
}
