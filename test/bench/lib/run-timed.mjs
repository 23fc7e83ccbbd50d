// Runs a command to completion and measures its wall time from spawn to exit.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, USAGE_HOOK } from './paths.mjs';

/**
 * Spawns `command args`, collects stdout/stderr, and resolves `{ code, signal, stdout, stderr,
 * wallMs }`. Kills the process group after `timeoutMs` (then `timedOut` is true).
 */
export function runTimed(command, args, { env = {}, cwd, timeoutMs = 600_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    if (input !== undefined) child.stdin.end(input);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      resolve({
        code,
        signal,
        timedOut,
        wallMs,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/**
 * Runs the built CLI (`node bin/provision.js …`) with a preload that reports its own CPU
 * time and peak RSS (`usage`), written to a file in `dir`. `bin` runs another build instead.
 */
export async function runCli(
  args,
  { env = {}, cwd, dir, timeoutMs, nodeArgs = [], bin = BIN } = {},
) {
  const usageFile = join(dir ?? cwd, `usage-${process.pid}-${Date.now()}.json`);
  const run = await runTimed(
    process.execPath,
    ['--import', USAGE_HOOK, ...nodeArgs, bin, ...args],
    { env: { ...env, BENCH_USAGE_FILE: usageFile }, cwd, timeoutMs },
  );
  try {
    run.usage = JSON.parse(readFileSync(usageFile, 'utf8'));
    rmSync(usageFile);
  } catch {
    run.usage = undefined;
  }
  return run;
}
