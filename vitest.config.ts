import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each run records the AWS calls of its integration suites afresh.
    globalSetup: ['test/iam/record-afresh.ts'],
    // Integration suites each start their own in-process stack on free ports.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
