import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers (docs/ARCHITECTURE.md): only src/cli/ talks to the terminal and argv.
const TERMINAL_ONLY = [
  {
    group: ['**/cli/**', '../cli', '../../cli'],
    message:
      'only src/cli/ may import src/cli/: the core reports through return values and typed events',
  },
  {
    group: ['listr2', 'picocolors', '@inquirer/*', 'commander', '@commander-js/*'],
    message: 'terminal and argv libraries belong in src/cli/ only',
  },
];
// The planner is a pure function of its inputs: no file, network or clock (`now` comes in).
const PURE_PLANNER = [
  {
    group: [
      'node:fs',
      'node:fs/*',
      'fs',
      'fs/*',
      'node:net',
      'node:http',
      'node:https',
      'node:timers',
      'node:timers/*',
      'node:child_process',
    ],
    message:
      'the planner is pure: reading and writing belong to plan-file.ts, src/cli/ or src/apply/',
  },
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'src/manifest/generated/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/plan/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: TERMINAL_ONLY }] },
  },
  {
    files: ['src/plan/plan-file.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: TERMINAL_ONLY }] },
  },
  {
    files: ['src/plan/**/*.ts'],
    ignores: ['src/plan/plan-file.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...TERMINAL_ONLY, ...PURE_PLANNER] }],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'the planner is pure: no timers' },
        { name: 'setInterval', message: 'the planner is pure: no timers' },
        { name: 'process', message: 'the planner is pure: no process state or environment' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'the planner is pure: take `now` from the input instead of reading the clock',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'the planner is pure: take `now` from the input instead of reading the clock',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'vitest.config.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    // Benchmarks and scripts are plain ESM run by Node against dist/.
    files: ['**/*.mjs', '**/*.cjs', 'scripts/**/*.js', 'bin/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-undef': 'off' },
  },
);
