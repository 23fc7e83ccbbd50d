// Emulator benchmark: throughput without faults (keep-alive, concurrency 16 and 64) and how
// closely --latency is honoured. The emulator runs as its own process (the built CLI), so the
// load generator does not share its event loop. Run after `npm run build`:
//   node test/bench/emulator.bench.mjs
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/provision.js', import.meta.url));
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3_000);

/** Starts `provision emulator --json` and resolves its start line. */
function startEmulator(args) {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PROVISION_EMULATOR_TOKEN: '' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline >= 0) resolve({ child, ...JSON.parse(out.slice(0, newline)) });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

function stop(emulator) {
  return new Promise((resolve) => {
    emulator.child.removeAllListeners('exit');
    emulator.child.once('exit', resolve);
    emulator.child.kill('SIGTERM');
  });
}

/** One request over the keep-alive agent; resolves its latency in ms. */
function send(agent, emulator, method, path, body) {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const url = new URL(
      `${emulator.url}/accounts/${emulator.accountId}/clusters/${emulator.clusterId}${path}`,
    );
    const req = request(url, {
      method,
      agent,
      headers: {
        authorization: `Bearer ${emulator.managementToken}`,
        'content-type': 'application/json',
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        if (res.statusCode >= 300) reject(new Error(`${method} ${path}: ${res.statusCode}`));
        else resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, text });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `concurrency` loops of `next()` for `durationMs`; returns req/s and latency percentiles. */
async function load(agent, concurrency, durationMs, next) {
  const latencies = [];
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) latencies.push((await next(agent)).ms);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    n: latencies.length,
  };
}

const fmt = (n) => n.toFixed(n >= 100 ? 0 : 2);

// Throughput.
const emulator = await startEmulator(['--database', 'db']);
const ids = [];
const seedAgent = new Agent({ keepAlive: true, maxSockets: 1 });
for (let i = 0; i < 20; i += 1) {
  const created = await send(seedAgent, emulator, 'POST', '/tokens', {
    description: `bench ${i}`,
    permissions: [{ action: 'read', resource: 'db' }],
  });
  ids.push(JSON.parse(created.text).id);
}
seedAgent.destroy();
const workloads = [
  [
    'GET …/tokens/{id}',
    (agent) =>
      send(agent, emulator, 'GET', `/tokens/${ids[Math.floor(Math.random() * ids.length)]}`),
  ],
  ['GET …/tokens (20 tokens)', (agent) => send(agent, emulator, 'GET', '/tokens')],
  [
    'PATCH …/tokens/{id}',
    (agent) =>
      send(agent, emulator, 'PATCH', `/tokens/${ids[Math.floor(Math.random() * ids.length)]}`, {
        description: 'patched',
      }),
  ],
];
console.log(
  `## Emulator throughput (no faults, keep-alive, ${DURATION_MS / 1000} s per row, 2-core machine)\n`,
);
console.log('| operation | concurrency | requests/s | p50 ms | p99 ms | requests |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, next] of workloads) {
  for (const concurrency of [16, 64]) {
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    await load(agent, concurrency, 300, next); // warm-up
    const result = await load(agent, concurrency, DURATION_MS, next);
    agent.destroy();
    console.log(
      `| ${name} | ${concurrency} | ${fmt(result.rps)} | ${fmt(result.p50)} | ${fmt(result.p99)} | ${result.n} |`,
    );
  }
}
await stop(emulator);

// Latency knob accuracy.
console.log('\n## --latency accuracy (GET …/tokens, concurrency 4, observed client-side)\n');
console.log('| requested ms | observed p50 ms | observed p99 ms | p50 error ms | requests |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const latency of [0, 10, 50]) {
  const slow = await startEmulator(['--latency', String(latency)]);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const next = (a) => send(a, slow, 'GET', '/tokens');
  await load(agent, 4, 300, next);
  const result = await load(agent, 4, DURATION_MS, next);
  agent.destroy();
  await stop(slow);
  console.log(
    `| ${latency} | ${fmt(result.p50)} | ${fmt(result.p99)} | ${fmt(result.p50 - latency)} | ${result.n} |`,
  );
}
