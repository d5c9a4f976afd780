import { describe, expect, it } from 'vitest';
import { fromIsoOffset, toIsoOffset } from '../../web/src/features/notices/utils/offset.ts';

describe("the notice form's offset (a number and a unit)", () => {
  it.each([
    ['P3D', 3, 'days'],
    ['PT2H', 2, 'hours'],
    ['PT1M', 1, 'minutes'],
    ['P1W', 1, 'weeks'],
    ['P1M', 1, 'months'],
    ['P0D', 0, 'days'],
    ['PT0S', 0, 'hours'],
  ] as const)('reads %s back as %i %s and writes it again the same', (iso, amount, unit) => {
    expect(fromIsoOffset(iso)).toEqual({ amount, unit });
    expect(toIsoOffset(amount, unit)).toBe(iso === 'PT0S' ? 'PT0H' : iso);
  });

  it('reads an offset mixing units in the smallest unit that holds it exactly', () => {
    expect(fromIsoOffset('P1DT12H')).toEqual({ amount: 36, unit: 'hours' });
    expect(fromIsoOffset('PT1H30M')).toEqual({ amount: 90, unit: 'minutes' });
    expect(fromIsoOffset('P1W2D')).toEqual({ amount: 9, unit: 'days' });
  });

  it('sends what is not a whole number as typed, for the API to refuse it as a duration', () => {
    expect(toIsoOffset('', 'days')).toBe('P');
    expect(toIsoOffset(1.5, 'days')).toBe('P1.5');
  });
});
