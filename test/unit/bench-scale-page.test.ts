import { describe, expect, it } from 'vitest';
import { withScaleSection } from '../../bench/scale.ts';

/** `npm run bench -- --scale` rewrites its own section of docs/benchmarks.md and nothing else. */
describe('the "At scale" section of the benchmarks page', () => {
  const section = '## At scale\n\nnew figures';

  it('is added at the end of a page that has none', () => {
    expect(withScaleSection('# Benchmarks\n\n## Quick\n\nrows\n', section)).toBe('# Benchmarks\n\n## Quick\n\nrows\n\n## At scale\n\nnew figures\n');
  });

  it('replaces only itself, up to the next section, and keeps its own ### parts together', () => {
    const page = '# Benchmarks\n\n## Quick\n\nrows\n\n## At scale\n\nold\n\n### The register\n\nold rows\n\n## Function bundles\n\nbundles\n';
    expect(withScaleSection(page, section)).toBe('# Benchmarks\n\n## Quick\n\nrows\n\n## At scale\n\nnew figures\n\n## Function bundles\n\nbundles\n');
  });

  it('replaces itself at the end of the page', () => {
    expect(withScaleSection('# Benchmarks\n\n## At scale\n\nold\n', section)).toBe('# Benchmarks\n\n## At scale\n\nnew figures\n');
  });
});
