import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Small real delivery commands, written into a test's folder as executable node scripts.
 * Each behaves like a store on a bad day; `record` is the honest one and writes down what it
 * was given (argv, environment, stdin) so tests can check what a command sees.
 */
export const TARGET_SCRIPTS = {
  // Appends {argv, env, stdin} as one JSON line to $1, then exits 0.
  record: `
import { appendFileSync } from 'node:fs';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const [out, ...args] = process.argv.slice(2);
appendFileSync(out, JSON.stringify({ args, env: process.env, stdin: Buffer.concat(chunks).toString() }) + '\\n');
process.stdout.write('stored: ' + Buffer.concat(chunks).toString() + '\\n');
`,
  // Fails (exit 1) unless the file $1 exists; on failure echoes stdin to stderr, as a careless CLI might.
  flaky: `
import { appendFileSync, existsSync } from 'node:fs';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const [gate, log] = process.argv.slice(2);
if (existsSync(gate)) { appendFileSync(log, Buffer.concat(chunks).toString() + '\\n'); process.exit(0); }
process.stderr.write('connecting to the store\\n');
process.stderr.write('error: store rejected ' + Buffer.concat(chunks).toString() + '\\n');
process.stderr.write('permission denied\\n');
process.exit(1);
`,
  // Hangs (never reads, never exits) unless $1 exists.
  hang: `
import { existsSync } from 'node:fs';
if (existsSync(process.argv[2])) process.exit(0);
setInterval(() => {}, 1000);
`,
  // Crashes (SIGABRT) unless $1 exists.
  crash: `
import { existsSync } from 'node:fs';
if (existsSync(process.argv[2])) process.exit(0);
process.abort();
`,
  // Writes a lot of stderr with the string (from stdin) in it, and cut in half where the
  // kept tail (16 KiB) starts: its last 14 characters are the first bytes kept.
  chatty: `
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const s = Buffer.concat(chunks).toString();
const after = '\\n' + 'y'.repeat(16300) + '\\n' + 'last line ' + s + '\\n';
const cut = 16 * 1024 - after.length;
process.stderr.write('a'.repeat(1 << 20) + '\\n' + 'x'.repeat(100) + s + after, () => process.exit(3));
if (cut <= 0 || cut >= s.length) throw new Error('the cut must fall inside the string');
`,
  // Leaves a grandchild running that holds the pipes open, then exits 0.
  orphan: `
import { spawn } from 'node:child_process';
spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'inherit' });
process.exit(0);
`,
} as const;

/** Writes every target script into `dir` (0755) and returns their paths by name. */
export function writeTargets(dir: string): Record<keyof typeof TARGET_SCRIPTS, string> {
  const paths = {} as Record<keyof typeof TARGET_SCRIPTS, string>;
  for (const [name, body] of Object.entries(TARGET_SCRIPTS)) {
    const path = join(dir, `${name}.mjs`);
    writeFileSync(path, `#!/usr/bin/env node\n${body}`);
    chmodSync(path, 0o755);
    paths[name as keyof typeof TARGET_SCRIPTS] = path;
  }
  return paths;
}
