// Preloaded with `node --import` into a measured process: on exit, writes its CPU time and
// peak RSS to $BENCH_USAGE_FILE. A child's rusage is otherwise out of Node's reach.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        userMs: usage.userCPUTime / 1000,
        maxRssMb: usage.maxRSS / 1024,
      }),
    );
  });
}
