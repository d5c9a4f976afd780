import { describe, expect, it } from 'vitest';
import { parseOffset } from '../../shared/domain/offset-duration.ts';

describe('parseOffset', () => {
  it.each([
    ['P3D', { days: 3 }],
    ['PT2H', { hours: 2 }],
    ['PT0S', {}],
    ['P1W', { weeks: 1 }],
    ['P1M', { months: 1 }],
    ['P1DT2H30M', { days: 1, hours: 2, minutes: 30 }],
  ])('reads %s', (text, fields) => {
    expect(parseOffset(text)).toEqual({ months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0, ...fields });
  });

  it.each(['', 'P', 'PT', '3D', 'P1Y', 'P1.5D', '-P1D', 'P1DT', 'pt2h', 'P2H'])('refuses %j', (text) => {
    expect(parseOffset(text)).toBe('format');
  });

  it('refuses an offset of more than a year', () => {
    expect(parseOffset('P367D')).toBe('too-long');
    expect(parseOffset('P13M')).toBe('too-long');
    expect(parseOffset('P366D')).not.toBe('too-long');
  });
});
