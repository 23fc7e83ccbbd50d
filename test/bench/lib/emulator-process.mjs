// Starts `provision emulator --json` as its own process, so that it never shares an event loop
// (or a CPU time slice it could hide in) with the client being measured.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN } from './paths.mjs';

/**
 * Resolves the emulator's start line (`url`, `clusterUrl`, `accountId`, `clusterId`,
 * `managementToken`) plus `env` (the INFLUX_* variables for the CLI), `cpuMs()` (the
 * emulator's CPU time so far, Linux only) and `stop()`.
 */
export function startEmulatorProcess(args = []) {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PROVISION_EMULATOR_TOKEN: '' },
  });
  // A benchmark that throws must not leave its emulator running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  return new Promise((resolve, reject) => {
    let out = '';
    const onExit = (code) => reject(new Error(`emulator exited with ${code} before starting`));
    child.once('exit', onExit);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline < 0 || out === null) return;
      const start = JSON.parse(out.slice(0, newline));
      out = null;
      child.off('exit', onExit);
      child.stdout.resume();
      resolve({
        ...start,
        child,
        env: {
          INFLUX_MANAGEMENT_URL: start.url,
          INFLUX_ACCOUNT_ID: start.accountId,
          INFLUX_CLUSTER_ID: start.clusterId,
          INFLUX_MANAGEMENT_TOKEN: start.managementToken,
        },
        tokensUrl: `${start.url}/accounts/${start.accountId}/clusters/${start.clusterId}/tokens`,
        cpuMs: () => processCpuMs(child.pid),
        stop: () => stop(child),
      });
    });
  });
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** User + system CPU of a live process from /proc (undefined where there is none). */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 Hz on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
