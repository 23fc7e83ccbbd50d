import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/types.js';

/** The repository root, for spawning the built binary. */
export const repoRoot = join(import.meta.dirname, '..', '..');
const bin = join(repoRoot, 'bin', 'provision.js');

/** What a spawned `provision` printed and how it exited. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Every byte any spawned CLI printed in this test file, for the secret scan. */
export const transcript: string[] = [];

/** Spawns the built CLI with `NO_COLOR=1` and no terminal, and waits for it. */
export function runCli(
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    input?: string;
    killAfterMs?: number;
    /** Sends SIGINT (Ctrl-C) once, as soon as stdout so far satisfies this. */
    interruptWhen?: (stdout: string) => boolean;
  } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? repoRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: process.env.TMPDIR,
        NO_COLOR: '1',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!interrupted && options.interruptWhen?.(stdout) === true) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end(options.input ?? '');
    const timer =
      options.killAfterMs === undefined
        ? undefined
        : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      transcript.push(stdout, stderr);
      try {
        recordTranscript(args, stdout + stderr, options.env);
      } catch (error) {
        // A scan that cannot record must fail this call at once, not leave it hanging.
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The connection environment for an emulator. */
export function emulatorEnv(emulator: RunningEmulator): NodeJS.ProcessEnv {
  if (emulator.product === 'clustered') {
    // What the Clustered emulator's export line sets: no account or cluster id.
    return {
      INFLUX_PRODUCT: 'clustered',
      INFLUX_MANAGEMENT_URL: emulator.url,
      INFLUX_MANAGEMENT_TOKEN: emulator.managementToken,
    };
  }
  return {
    INFLUX_MANAGEMENT_URL: emulator.url,
    INFLUX_ACCOUNT_ID: emulator.accountId,
    INFLUX_CLUSTER_ID: emulator.clusterId,
    INFLUX_MANAGEMENT_TOKEN: emulator.managementToken,
  };
}

/**
 * Secrets that must never be printed: token strings (`apiv1_…`), age identities, and the
 * given management tokens. Returns the offending kinds found in `text`.
 */
export function findSecrets(text: string, managementTokens: string[] = []): string[] {
  const found: string[] = [];
  if (/apiv1_[A-Za-z0-9_-]{20,}/.test(text)) found.push('token string');
  if (/AGE-SECRET-KEY-1[0-9A-Z]{20,}/.test(text)) found.push('age identity');
  for (const token of managementTokens) if (text.includes(token)) found.push('management token');
  return found;
}

/**
 * Hands a run's output to the suite-wide secret scan (`test/global-secret-scan.ts`). Runs
 * that print plaintext on request (`secrets decrypt`, a plaintext `secrets export` to
 * stdout) are the only ones left out.
 */
export function recordTranscript(
  args: string[],
  output: string,
  env: NodeJS.ProcessEnv = {},
): void {
  const asksForPlaintext =
    args.includes('decrypt') ||
    (args.includes('export') &&
      !args.includes('-o') &&
      !args.includes('--output') &&
      ['json', 'env', 'dotenv', 'k8s-secret'].some((format) => args.includes(format)));
  if (asksForPlaintext) return;
  const managementTokens = [env.INFLUX_MANAGEMENT_TOKEN].filter((t): t is string => Boolean(t));
  const dir = inject('transcriptDir');
  writeFileSync(
    join(dir, `${randomUUID()}.json`),
    JSON.stringify({ args, output, managementTokens }),
  );
}
