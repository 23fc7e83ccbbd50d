import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives this run a temp root of its own and points TMPDIR at it, before any worker starts:
 * every `mkdtemp(join(tmpdir(), 'provision-…'))` in a test, and every CLI or emulator a test
 * spawns, then lands inside it. Teardown removes that root and nothing else, so two runs on
 * one machine never touch each other's folders.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'provision-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.PROVISION_KEEP_TEST_DIRS === '1') {
      process.stdout.write(`test folders kept in ${root}\n`);
      return;
    }
    rmSync(root, { recursive: true, force: true });
  };
}
