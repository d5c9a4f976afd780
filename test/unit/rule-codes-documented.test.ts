import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The `rule` codes of problem+json errors are a contract: a client shows its own words for
 * each. Every code the code can produce must be listed in docs/api.md. The codes are found
 * where they are written: custom issues (`rule: '...'`, `rule('...'`), normalised strings,
 * ValidationError.of, field issues built by hand, and the codes zod issues map to.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const PATTERNS = [
  /rule: '([a-z0-9-]+)'/g,
  /\brule\('([a-z0-9-]+)'/g,
  /normalisedString\([^,]+, '([a-z0-9-]+)'/g,
  /ValidationError\.of\([^,]+, '([a-z0-9-]+)'/g,
];
/** What shared/api/zod-issues.ts maps zod's own issues to. */
const FROM_ZOD = ['required', 'type', 'max-length', 'max-items', 'max', 'min-length', 'min-items', 'min', 'pattern', 'email', 'one-of', 'unknown-field'];

describe('rule codes', () => {
  it('lists in docs/api.md every rule code an error can carry', () => {
    const found = new Set(FROM_ZOD);
    for (const file of [...sources(join(ROOT, 'shared')), ...sources(join(ROOT, 'functions'))]) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of PATTERNS) for (const match of text.matchAll(pattern)) found.add(match[1]!);
    }
    expect(found.size).toBeGreaterThan(20);
    const docs = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
    const listed = docs.slice(docs.indexOf('Rules you may meet'), docs.indexOf('Rules you may meet') + 3000);
    expect([...found].filter((code) => !listed.includes(`\`${code}\``)).sort()).toEqual([]);
  });
});
