#!/usr/bin/env node
// Runs the bundle of dist/cli/run.js that `npm run build` writes (scripts/bundle-cli.js):
// one chunk per start instead of ~270 modules. No fallback to dist/cli/run.js: a build that
// stopped after tsc is a broken build, and running the unbundled code instead would hide it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bundle/provision.js', import.meta.url);
if (existsSync(entry)) {
  await import(entry.href);
} else {
  process.stderr.write(
    'provision: dist/bundle/provision.js is missing: run `npm run build` (tsc alone does not write it)\n',
  );
  process.exitCode = 1;
}
