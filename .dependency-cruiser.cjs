// The layers of docs/ARCHITECTURE.md, held by a tool instead of by care: `npm run lint`
// (and so CI) fails on a cycle, including one through `import type`. The per-folder import
// bans (no terminal library outside src/cli/, no fs or clock in the planner) are eslint's
// `no-restricted-imports` in eslint.config.js.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
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
