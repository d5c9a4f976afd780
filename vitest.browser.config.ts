import { defineConfig } from 'vitest/config';

/**
 * The browser suite (npm run test:browser, last in npm test): the built web app in Debian's
 * Chromium against the real local stack. One file at a time in one fork: each starts a stack
 * and a browser, and the machine has two cores.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
