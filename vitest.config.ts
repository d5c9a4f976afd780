import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

/** The roles check reads what the integration suites recorded, so it runs after them (npm test). */
export const ROLES_CHECK = 'test/iam/roles-cover-calls.test.ts';

export default defineConfig({
  // The web app's own import alias, for unit tests of its modules.
  resolve: { alias: { '@': fileURLToPath(new URL('web/src', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    // The browser suite has its own run (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, ROLES_CHECK, 'test/browser/**'],
    // Each run records the AWS calls of its integration suites afresh.
    globalSetup: ['test/iam/record-afresh.ts'],
    // Integration suites each start their own in-process stack on free ports.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
