import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Native addons (better-sqlite3, hnswlib) and TF.js backends are not fork-safe in threads.
    pool: 'forks',
  },
});
