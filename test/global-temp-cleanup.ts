import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Tests make their folders with `mkdtemp(join(tmpdir(), 'provision-…'))`; this removes the
 * ones that appeared during the run, so a CI machine does not collect hundreds of them.
 */
export default function setup(): () => void {
  const ours = (name: string): boolean =>
    name.startsWith('provision-') && !name.startsWith('provision-demo-');
  const before = new Set(readdirSync(tmpdir()).filter(ours));
  return () => {
    if (process.env.PROVISION_KEEP_TEST_DIRS === '1') return;
    for (const name of readdirSync(tmpdir()).filter(ours)) {
      if (!before.has(name)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  };
}
