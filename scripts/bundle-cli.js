#!/usr/bin/env node
// Bundles the CLI (tsc's dist/cli/run.js and the node_modules it imports) into dist/bundle/,
// which bin/provision.js runs: loading ~270 ES modules one by one was most of every start.
// Each dynamic import() stays a chunk of its own, loaded only when a command needs it, so
// `--version` and `--help` still load nothing heavy. dist/ keeps tsc's output: the library
// export and the tests use it.
//   node scripts/bundle-cli.js   (npm run build does it after tsc)
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
export const BUNDLE_DIR = join(DIST, 'bundle');
/** Which input modules each chunk holds, for test/cli/start-up.test.ts. */
export const MODULES_FILE = join(BUNDLE_DIR, 'modules.json');

/** A path as the manifest and the start-up test name it: relative to the root, with `/`. */
function fromRoot(id) {
  return id.startsWith('\0') ? id : relative(ROOT, id).split(sep).join('/');
}

/**
 * Our modules find files next to them (the schema, node_modules for the precompiled
 * validator's runtime) through `import.meta.url`; in a chunk of dist/bundle/ that URL is
 * the chunk's. So each keeps its own URL, written relative to the chunk, as if it still
 * stood in dist/. tsc's source maps come along, so a stack maps to src/*.ts.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  load(id) {
    if (!id.startsWith(DIST + sep) || !id.endsWith('.js')) return null;
    let code = readFileSync(id, 'utf8');
    if (/\bimport\.meta\.(?!url\b)\w+/.test(code)) {
      throw new Error(`${fromRoot(id)}: only import.meta.url is kept right in the bundle`);
    }
    const own = JSON.stringify(relative(BUNDLE_DIR, id).split(sep).join('/'));
    // No line is added, so tsc's map stays true on every line but those few (off by some
    // columns there).
    code = code.replace(/\bimport\.meta\.url\b/g, `new URL(${own}, import.meta.url).href`);
    const mapFile = `${id}.map`;
    if (!existsSync(mapFile)) return { code };
    const map = JSON.parse(readFileSync(mapFile, 'utf8'));
    // Absolute sources, so that the bundle's map can say where they are from dist/bundle/.
    map.sources = map.sources.map((source) => resolve(dirname(id), map.sourceRoot ?? '', source));
    delete map.sourceRoot;
    return { code: code.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'), map };
  },
};

/**
 * Packages have no such rewrite (where node_modules is depends on the install), so one
 * that needs its own URL would break: fail the build instead.
 */
const refuseModuleUrlsInPackages = {
  name: 'refuse-module-urls-in-packages',
  transform(code, id) {
    if (id.includes(`${sep}node_modules${sep}`) && /\bimport\.meta\b/.test(code)) {
      throw new Error(`${fromRoot(id)} uses import.meta: it cannot be bundled as it is`);
    }
    return null;
  },
};

export async function bundleCli() {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  const bundle = await rolldown({
    input: { provision: join(DIST, 'cli', 'run.js') },
    platform: 'node',
    cwd: ROOT,
    plugins: [keepModuleUrls, refuseModuleUrlsInPackages],
    logLevel: 'warn',
  });
  const { output } = await bundle.write({
    dir: BUNDLE_DIR,
    format: 'esm',
    // Linked, not inline: an internal error's stack can be mapped (node --enable-source-maps)
    // without every start parsing the map.
    sourcemap: true,
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
  });
  await bundle.close();
  const modules = {};
  for (const chunk of output) {
    if (chunk.type === 'chunk') modules[chunk.fileName] = chunk.moduleIds.map(fromRoot).sort();
  }
  writeFileSync(MODULES_FILE, `${JSON.stringify(modules, null, 2)}\n`);
  return modules;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const modules = await bundleCli();
  const inputs = Object.values(modules).reduce((sum, ids) => sum + ids.length, 0);
  console.log(
    `bundled ${inputs} modules into ${Object.keys(modules).length} chunks in ${fromRoot(BUNDLE_DIR)}/`,
  );
}
