import { defineConfig } from 'vitest/config';
import { ROLES_CHECK } from './vitest.config.ts';

/** The second run of `npm test`: each function's role against the calls the first run recorded. */
export default defineConfig({
  test: {
    include: [ROLES_CHECK],
    testTimeout: 20_000,
    hookTimeout: 120_000,
  },
});
