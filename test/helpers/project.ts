import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, onTestFinished } from 'vitest';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/types.js';
import { makeAgeKey } from './age-keys.js';
import { emulatorEnv, findSecrets, runCli, transcript, type CliRun } from './cli.js';
import { startTestEmulator } from './emulator.js';

/** What a CLI test of plan and apply works in: a folder, an emulator, a key, a wrapper. */
export interface TestProject {
  /** A fresh folder under this run's temp root: the working folder of every command. */
  dir: string;
  emulator: RunningEmulator;
  /** An age key made for this test; `PROVISION_AGE_IDENTITY` points at it. */
  key: Awaited<ReturnType<typeof makeAgeKey>>;
  /** The emulator's connection and the key, as the CLI reads them. */
  env: NodeJS.ProcessEnv;
  /** Writes a file in `dir` (the manifest, mostly). */
  write: (file: string, text: string) => void;
  /** Runs the built CLI in `dir` with `env` (plus `extra`). */
  provision: (
    args: string[],
    options?: Omit<NonNullable<Parameters<typeof runCli>[1]>, 'cwd' | 'env'> & {
      env?: NodeJS.ProcessEnv;
    },
  ) => Promise<CliRun>;
  /** `apply --yes`, sealed to the key in `tokens.sealed`, then `extra`. */
  applyArgs: (...extra: string[]) => string[];
}

// Every management token handed out in this test file (each file has its own module state).
const managementTokens: string[] = [];

/**
 * Call once at the top of a test file: after its tests, nothing any of its commands printed
 * may hold a token string, an age identity or a management token this file handed out. (The
 * suite-wide scan checks every file's runs again at the end; this one names the file.)
 */
export function expectNoSecretsPrinted(): void {
  afterAll(() => {
    expect(findSecrets(transcript.join('\n'), managementTokens)).toEqual([]);
  });
}

/** Remembers a management token for `expectNoSecretsPrinted` (an extra emulator's). */
export function rememberManagementToken(emulator: RunningEmulator): void {
  managementTokens.push(emulator.managementToken);
}

/**
 * Starts an emulator, makes a folder and a key, and writes `manifest` as `tokens.yaml` when
 * given. Call it inside a test or a `beforeEach` (the emulator closes when the test ends).
 */
export async function startTestProject(
  options: { prefix?: string; manifest?: string; emulator?: EmulatorOptions } = {},
): Promise<TestProject> {
  const dir = mkdtempSync(join(tmpdir(), `provision-${options.prefix ?? 'project'}-`));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const emulator = await startTestEmulator(options.emulator ?? {});
  managementTokens.push(emulator.managementToken);
  const key = await makeAgeKey(dir);
  const env = { ...emulatorEnv(emulator), PROVISION_AGE_IDENTITY: key.identityFile };
  const write = (file: string, text: string): void => {
    writeFileSync(join(dir, file), text);
  };
  if (options.manifest !== undefined) write('tokens.yaml', options.manifest);
  return {
    dir,
    emulator,
    key,
    env,
    write,
    provision: (args, runOptions = {}) =>
      runCli(args, { ...runOptions, cwd: dir, env: { ...env, ...runOptions.env } }),
    applyArgs: (...extra) => [
      'apply',
      '--yes',
      '--recipient',
      key.recipient,
      '--secrets-file',
      'tokens.sealed',
      ...extra,
    ],
  };
}
