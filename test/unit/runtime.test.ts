import { describe, expect, it } from 'vitest';

describe('the test runtime', () => {
  it('is Node 24, the Lambda runtime, put first on PATH by the node@24 devDependency', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });
});
