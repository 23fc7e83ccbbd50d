import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Files no one reviews are read only when they are regular files under a size cap: a FIFO
// must not block the run, a device must not stream into memory. Each run is bounded by the
// helper's kill timer, so a regression fails instead of hanging the suite.
let dir: string;
const bounded = { killAfterMs: 20_000 };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'provision-bounded-'));
  execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
  execFileSync('mkfifo', [join(dir, 'fifo.json')]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('reads are bounded', () => {
  it('refuses a FIFO as the manifest at once', async () => {
    const run = await runCli(['validate', '-f', 'fifo.yaml'], { cwd: dir, ...bounded });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'fifo.yaml: is not a regular file (a pipe, socket or device); refusing to read it; pass the manifest file with -f\nfifo.yaml: 1 problem\n',
    );
  });

  it('refuses /dev/zero as the manifest without reading it', async () => {
    const run = await runCli(['validate', '-f', '/dev/zero'], { cwd: dir, ...bounded });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('/dev/zero: is not a regular file');
  });

  it.each(['fifo.json', '/dev/zero'])('refuses %s as a saved plan at once', async (file) => {
    const run = await runCli(['apply', file, '--yes'], { cwd: dir, ...bounded });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `error: cannot read ${file.startsWith('/') ? file : join(dir, file)}: is not a regular file (a pipe, socket or device); refusing to read it`,
    );
    expect(run.stderr).not.toContain('    at ');
  });

  it('refuses a plan file over the size cap', async () => {
    // Sparse: 65 MiB on paper, nothing on disk.
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    execFileSync('truncate', ['-s', '65M', big]);
    const run = await runCli(['apply', 'big.json', '--yes'], { cwd: dir, ...bounded });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('big.json: is 65 MiB; the limit is 64 MiB');
  });
});
