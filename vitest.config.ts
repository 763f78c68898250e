import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // hooks do real work too (running the CLI, compiling a solver): on a loaded two-core CI machine the
    // default 10 s was too short for two CLI runs
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['test/support/yield-between-tests.ts'],
  },
});
