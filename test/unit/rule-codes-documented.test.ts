import { describe, expect, it } from 'vitest';
import { ruleCodesInCode, ruleCodesPassage } from './rule-codes.ts';

describe('rule codes', () => {
  it('lists in docs/api.md every rule code an error can carry', () => {
    const found = ruleCodesInCode();
    expect(found.size).toBeGreaterThan(20);
    const listed = ruleCodesPassage();
    expect([...found].filter((code) => !listed.includes(`\`${code}\``)).sort()).toEqual([]);
  });
});
