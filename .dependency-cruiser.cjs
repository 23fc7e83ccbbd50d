// The layers of docs/ARCHITECTURE.md, held by a tool instead of by care: `npm run lint`
// (and so CI) fails on a cycle, including one through `import type`. The per-folder import
// bans (no terminal library outside src/cli/, no fs or clock in the planner) are eslint's
// `no-restricted-imports` in eslint.config.js.
/**
 * The folders in dependency order: each may import itself and the folders listed, nothing
 * else in src/ (src/cli/ and src/index.ts, at the top, may import anything).
 */
function layer(folder, allowed) {
  const others = [folder, ...allowed].join('|');
  return [
    {
      name: `layer-${folder}`,
      severity: 'error',
      comment: `src/${folder}/ may import only ${allowed.length === 0 ? 'itself' : allowed.map((f) => `src/${f}/`).join(', ')} (docs/ARCHITECTURE.md)`,
      from: { path: `^src/${folder}/` },
      to: { path: '^src/', pathNot: `^src/((${others})/|errors\\.ts$)` },
    },
  ];
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layer('model', []),
    ...layer('files', []),
    ...layer('api', ['model', 'files']),
    ...layer('manifest', ['model', 'files']),
    ...layer('plan', ['model', 'files', 'manifest']),
    ...layer('secrets', ['model', 'files']),
    ...layer('apply', ['model', 'files', 'api', 'plan', 'secrets']),
    ...layer('deliver', ['model', 'files', 'api', 'plan', 'secrets', 'apply']),
    ...layer('import', ['model', 'files', 'api', 'manifest', 'plan']),
    ...layer('verify', ['model', 'files', 'api', 'manifest', 'plan', 'secrets']),
    ...layer('emulator', ['model', 'files', 'api']),
    ...layer('workflows', [
      'model',
      'files',
      'api',
      'manifest',
      'plan',
      'secrets',
      'apply',
      'deliver',
      'import',
      'verify',
    ]),
    {
      name: 'through-index',
      severity: 'error',
      comment:
        "Another folder is used through its index.ts only: what it offers is listed there, and its files can move without touching callers (docs/ARCHITECTURE.md). The one exception, api/request-limits.ts, holds constants only: the CLI's flag definitions read it without loading the HTTP client, so `provision --version` stays fast.",
      from: { path: '^src/([^/]+)/' },
      to: {
        path: '^src/[^/]+/',
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/api/request-limits\\.ts$'],
      },
    },
    {
      name: 'library-through-index',
      severity: 'error',
      comment:
        "src/index.ts, the library surface, re-exports each folder's index.ts and its types.ts (every type a caller may name), nothing deeper.",
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/[^/]+/(index|types)\\.ts$'] },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle is a layer boundary nobody drew; move the shared type or function down.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-not-on-cli',
      severity: 'error',
      comment:
        'Only src/cli/ reads argv and writes to the terminal; the core reports through results and events.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
