import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

// `provision --version` and `--help` must not load what only commands need: the HTTP
// client, the YAML parser, the schema validator, age. A module-resolution hook records every
// module the process resolves; a static import added on the start-up path shows up here.

const HEAVY = ['node_modules/ky/', 'node_modules/yaml/', 'node_modules/ajv/', 'age-encryption'];

function modulesLoadedBy(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'provision-start-up-'));
  const log = join(dir, 'resolved.txt');
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';\n` +
      `export async function resolve(specifier, context, next) {\n` +
      `  const resolved = await next(specifier, context);\n` +
      `  appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n');\n` +
      `  return resolved;\n}\n`,
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const run = spawnSync(
    process.execPath,
    ['--import', register, join(repoRoot, 'bin', 'provision.js'), ...args],
    { encoding: 'utf8', timeout: 30_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('start-up', () => {
  it.each([['--version'], ['--help'], ['apply', '--help']])(
    'provision %s loads at most commander and the flag definitions',
    (...args) => {
      const loaded = modulesLoadedBy(args);
      // The hook sees the program's own modules: proof it ran.
      expect(loaded.some((url) => url.endsWith('/dist/cli/run.js'))).toBe(true);
      expect(loaded.filter((url) => HEAVY.some((heavy) => url.includes(heavy)))).toEqual([]);
      expect(
        loaded.filter(
          (url) =>
            /\/dist\/(api|manifest|plan|secrets|apply|workflows)\//.test(url) &&
            !url.endsWith('/dist/api/request-limits.js'),
        ),
      ).toEqual([]);
    },
  );
});
