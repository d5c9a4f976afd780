import { describe, expect, it } from 'vitest';
import { parseTypedDate } from '../../web/src/utils/typed-date.ts';

/** The date fields: what a user types (dd.mm.yyyy) becomes the API's YYYY-MM-DD, and only a whole, real date does. */
describe('a typed date', () => {
  it('reads dd.mm.yyyy (and d.m.yyyy, / or - between) and an ISO date as YYYY-MM-DD', () => {
    expect(parseTypedDate('10.02.2027')).toBe('2027-02-10');
    expect(parseTypedDate(' 1.2.2027 ')).toBe('2027-02-01');
    expect(parseTypedDate('01/02/2027')).toBe('2027-02-01');
    expect(parseTypedDate('01-02-2027')).toBe('2027-02-01');
    expect(parseTypedDate('2027-02-10')).toBe('2027-02-10');
    expect(parseTypedDate('29.02.2028')).toBe('2028-02-29');
  });

  it('is no date while half-typed or not a real day', () => {
    for (const text of [
      '',
      '10',
      '10.02',
      '10.02.',
      '10.02.2',
      '10.02.202',
      '10.02.20277',
      '31.02.2027',
      '29.02.2027',
      '00.01.2027',
      '10.13.2027',
      '02.10.27',
      'i morgen',
      '2027-2-10',
    ]) {
      expect(parseTypedDate(text), text).toBeNull();
    }
  });
});
