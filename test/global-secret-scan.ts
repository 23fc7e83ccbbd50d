import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findSecrets } from './helpers/cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    transcriptDir: string;
  }
}

/**
 * Every spawned CLI's stdout and stderr, from every test file, is written to one folder
 * (see `recordTranscript`); after the whole suite, this scans all of it for token strings,
 * age identities and the management tokens the runs were given. A hit fails the run.
 */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'provision-transcripts-'));
  project.provide('transcriptDir', dir);
  return () => {
    const files = readdirSync(dir);
    const hits: string[] = [];
    for (const file of files) {
      const entry = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
        args: string[];
        output: string;
        managementTokens: string[];
      };
      const found = findSecrets(entry.output, entry.managementTokens);
      if (found.length > 0) hits.push(`provision ${entry.args.join(' ')}: ${found.join(', ')}`);
    }
    rmSync(dir, { recursive: true, force: true });
    if (hits.length > 0) {
      // vitest reports a teardown error but keeps its exit code: fail the run explicitly.
      process.exitCode = 1;
      throw new Error(`secrets found in CLI output:\n${hits.join('\n')}`);
    }
    if (process.env.PROVISION_SCAN_REPORT === '1') {
      process.stdout.write(`secret scan: ${files.length} CLI runs, no secret in any output\n`);
    }
  };
}
