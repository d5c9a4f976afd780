import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The `rule` codes of problem+json errors, a contract: a client shows its own words for each.
 * The codes are found where they are written: custom issues (`rule: '...'`, `rule('...'`),
 * normalised strings, ValidationError.of, field issues built by hand, and the codes zod
 * issues map to.
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

/** Every rule code the code of shared/ and functions/ can put in an error. */
export function ruleCodesInCode(): Set<string> {
  const found = new Set(FROM_ZOD);
  for (const file of [...sources(join(ROOT, 'shared')), ...sources(join(ROOT, 'functions'))]) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of PATTERNS) for (const match of text.matchAll(pattern)) found.add(match[1]!);
  }
  return found;
}

/** The passage of docs/api.md that lists the rule codes ("Rules you may meet there: ..."). */
export function ruleCodesPassage(): string {
  const docs = readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');
  const start = docs.indexOf('Rules you may meet');
  return docs.slice(start, docs.indexOf('`limit` takes', start));
}

/** The codes docs/api.md lists. */
export function ruleCodesInDocs(): Set<string> {
  return new Set([...ruleCodesPassage().matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!));
}
