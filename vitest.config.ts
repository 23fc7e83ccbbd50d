import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // The temp root comes first: the secret scan keeps its transcripts inside it.
    globalSetup: ['test/global-temp-root.ts', 'test/global-secret-scan.ts'],
    reporters: ['default', './test/plain-summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Spawned CLIs and emulators are real processes; keep the 2-core machine responsive.
    maxWorkers: 2,
  },
});
