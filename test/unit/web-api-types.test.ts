import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../../web/scripts/api-types.ts';

describe('the web app API types', () => {
  it('are generated from the /openapi.json the API serves now (npm run web:api-types refreshes them)', async () => {
    const checkedIn = await readFile(API_TYPES_FILE, 'utf8');
    expect(checkedIn === (await generateApiTypes()), 'web/src/lib/api/schema.d.ts is stale: run npm run web:api-types').toBe(true);
  });
});
