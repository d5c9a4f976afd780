import { describe, expect, it } from 'vitest';
import { acceptsGzip } from '../../functions/api/docs-page.ts';

describe('whether a request takes gzip (Accept-Encoding, RFC 9110 12.5.3)', () => {
  it('takes it when gzip or * is named without q=0, in any case and spacing', () => {
    for (const header of ['gzip', 'br, gzip', 'GZIP;q=0.5', 'deflate , gzip ; q=1', '*']) expect(acceptsGzip(header), header).toBe(true);
  });

  it('does not when it is missing, refused with q=0, or only other codings are named', () => {
    for (const header of [undefined, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip; q=0.000', 'x-gzip2'])
      expect(acceptsGzip(header), String(header)).toBe(false);
  });
});
