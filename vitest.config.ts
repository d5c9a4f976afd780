import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites each start their own in-process stack on free ports.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
