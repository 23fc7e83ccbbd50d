// A second baseline: the same creates from one bare Node process (global fetch, keep-alive,
// `concurrency` loops), no retries, no sealing. Run as a child:
//   node fetch-loop.mjs BODIES.json CONCURRENCY   (env: TOKENS_URL, MANAGEMENT_TOKEN)
// Prints `{ ok, failed, loopMs, cpuMs, rssMb }` as JSON (CPU and peak RSS of the whole process).
import { readFileSync } from 'node:fs';

const bodies = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const concurrency = Number(process.argv[3]);
const headers = {
  authorization: `Bearer ${process.env.MANAGEMENT_TOKEN}`,
  'content-type': 'application/json',
  accept: 'application/json',
};
let next = 0;
let ok = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      try {
        const response = await fetch(process.env.TOKENS_URL, {
          method: 'POST',
          headers,
          body: JSON.stringify(bodies[i]),
        });
        await response.text();
        if (response.ok) ok += 1;
      } catch {
        // counted as failed below
      }
    }
  }),
);
const loopMs = performance.now() - started;
const usage = process.resourceUsage();
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
const rssMb = usage.maxRSS / 1024;
process.stdout.write(JSON.stringify({ ok, failed: bodies.length - ok, loopMs, cpuMs, rssMb }));
