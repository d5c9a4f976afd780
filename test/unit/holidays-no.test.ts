import { readFile } from 'node:fs/promises';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { publicHoliday } from '../../shared/domain/business-days.ts';
import { HOLIDAYS_NO, norwegianJson } from '../../local/pick-holidays.ts';

describe("Norway's holiday table (shared/domain/holidays-no.json)", () => {
  it('is what the installed date-holidays gives for Norway; after an upgrade, `npm run holidays` writes it again', async () => {
    expect(await readFile(HOLIDAYS_NO, 'utf8')).toBe(norwegianJson());
  });

  it('gives the same public holidays as the whole library, in every year from 2025 to 2040', async () => {
    const { default: Holidays } = await import('date-holidays');
    const whole = new Holidays('NO');
    for (let year = 2025; year <= 2040; year += 1) {
      const expected = whole.getHolidays(year, 'no').filter((h) => h.type === 'public');
      expect(expected.length).toBeGreaterThanOrEqual(12);
      for (const h of expected) expect(publicHoliday(Temporal.PlainDate.from(h.date.slice(0, 10)))).toBeDefined();
      let days = 0;
      for (let day = Temporal.PlainDate.from({ year, month: 1, day: 1 }); day.year === year; day = day.add({ days: 1 })) if (publicHoliday(day)) days += 1;
      expect(days).toBe(new Set(expected.map((h) => h.date.slice(0, 10))).size);
    }
  });

  it('knows Easter 2027, the 17th of May that is also Whit Monday, and that Christmas Eve is not a public holiday', () => {
    expect(publicHoliday(Temporal.PlainDate.from('2027-03-26'))).toBe('Langfredag');
    expect(publicHoliday(Temporal.PlainDate.from('2027-03-29'))).toBe('Andre påskedag');
    expect(publicHoliday(Temporal.PlainDate.from('2027-05-17'))).toBe('Grunnlovsdagen');
    expect(publicHoliday(Temporal.PlainDate.from('2027-12-24'))).toBeUndefined();
    expect(publicHoliday(Temporal.PlainDate.from('2027-12-27'))).toBeUndefined();
  });
});
