// The baseline the issue asks for: the same creates done by `xargs -P c curl`, one curl
// process per request, as a shell script would do them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTimed } from './run-timed.mjs';

/** True when both `curl` and `xargs` are on PATH. */
export function haveCurl() {
  return ['curl', 'xargs'].every(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0,
  );
}

/**
 * POSTs every body in `bodies` to the emulator's token endpoint with `xargs -P concurrency
 * curl`, and resolves `{ wallMs, ok, failed, errors }` (wall time of the whole pipeline). The
 * management token goes in a header file, not in argv.
 */
export async function curlCreates(emulator, bodies, concurrency, dir) {
  const bodyDir = join(dir, 'bodies');
  mkdirSync(bodyDir, { recursive: true });
  const paths = bodies.map((body, i) => {
    const path = join(bodyDir, `${i}.json`);
    writeFileSync(path, JSON.stringify(body));
    return path;
  });
  const list = join(dir, 'bodies.txt');
  writeFileSync(list, `${paths.join('\n')}\n`);
  const headers = join(dir, 'headers.txt');
  writeFileSync(
    headers,
    `Authorization: Bearer ${emulator.managementToken}\nContent-Type: application/json\nAccept: application/json\n`,
    { mode: 0o600 },
  );
  const script =
    'xargs -P "$1" -I{} curl -sS -o /dev/null -w "%{http_code}\\n" -X POST ' +
    '-H @"$2" --data-binary @{} "$3" < "$4"';
  const run = await runTimed('sh', [
    '-c',
    script,
    'sh',
    String(concurrency),
    headers,
    emulator.tokensUrl,
    list,
  ]);
  const codes = run.stdout.split('\n').filter((line) => line !== '');
  const ok = codes.filter((code) => code.startsWith('2')).length;
  return {
    wallMs: run.wallMs,
    ok,
    failed: bodies.length - ok,
    errors: [...new Set(run.stderr.split('\n').filter((line) => line !== ''))].slice(0, 3),
  };
}
