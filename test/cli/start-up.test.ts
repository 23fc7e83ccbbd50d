import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

// `provision --version` and `--help` must not load what only commands need: the HTTP
// client, the YAML parser, the schema validator, age. A module-resolution hook records every
// module the process resolves; a static import added on the start-up path shows up here.
// The binary runs the bundle (scripts/bundle-cli.js), whose chunks hide their modules' names:
// dist/bundle/modules.json, written with the chunks, says which modules each one holds.

const HEAVY = ['node_modules/ky/', 'node_modules/yaml/', 'node_modules/ajv/', 'age-encryption'];
const bundleDir = join(repoRoot, 'dist', 'bundle');

/** Every module a run loaded, as paths from the root; a chunk stands for the modules it holds. */
function modulesLoadedBy(args: string[]): string[] {
  const chunks = JSON.parse(readFileSync(join(bundleDir, 'modules.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  const urls = urlsResolvedBy(args);
  const chunkUrls = urls.filter((url) => url.startsWith(pathToFileURL(bundleDir).href + '/'));
  // Proof that the binary ran the bundle, and that the hook saw it load chunks lazily.
  expect(chunkUrls).toContain(pathToFileURL(join(bundleDir, 'provision.js')).href);
  return urls.flatMap((url) => {
    if (!chunkUrls.includes(url)) return [url];
    const held = chunks[relative(bundleDir, fileURLToPath(url)).split(sep).join('/')];
    // A chunk the list does not know: the list is stale and could hide anything.
    expect(held, `${url} is not in dist/bundle/modules.json`).toBeDefined();
    return held!;
  });
}

function urlsResolvedBy(args: string[]): string[] {
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
      // The program's own modules are among them: proof the mapping works.
      expect(loaded).toContain('dist/cli/run.js');
      expect(loaded.filter((path) => HEAVY.some((heavy) => path.includes(heavy)))).toEqual([]);
      expect(
        loaded.filter(
          (path) =>
            /(^|\/)dist\/(api|manifest|plan|secrets|apply|workflows)\//.test(path) &&
            !path.endsWith('dist/api/request-limits.js'),
        ),
      ).toEqual([]);
    },
  );
});
