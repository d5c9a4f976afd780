import Holidays from 'date-holidays';
import { data } from 'date-holidays/data';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * Writes shared/domain/holidays-no.json: Norway's public holidays in every year from
 * FIRST_YEAR to LAST_YEAR, by their Norwegian names, as `date-holidays` computes them
 * (`npm run holidays`). Planning looks days up in that table, so no bundle carries the
 * library's rule engine (with moment-timezone and an astronomy library, about 0.9 MB).
 * test/unit/holidays-no.test.ts fails when the file is not what the installed library gives,
 * so an upgrade of `date-holidays` brings its corrections here by running this again.
 */
export const HOLIDAYS_NO = resolve(import.meta.dirname, '..', 'shared', 'domain', 'holidays-no.json');
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2299;

export interface HolidayTable {
  /** Where the table comes from: the library's data version and licence. */
  source: { library: string; version: string; license: string };
  firstYear: number;
  lastYear: number;
  /** The holidays' names; each year refers to them by position. */
  names: string[];
  /** Per year, `MM-DD:n` for each public holiday, n its name's position. */
  years: Record<string, string>;
}

// Only the official public holidays ("public" in date-holidays): Christmas Eve and New Year's
// Eve are `bank` days there, many offices work them (docs/decisions.md).
export function norwegianHolidays(): HolidayTable {
  const norway = new Holidays('NO');
  const names: string[] = [];
  const years: Record<string, string> = {};
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year += 1) {
    const days = new Map<string, string>();
    for (const h of norway.getHolidays(year, 'no')) {
      const day = h.date.slice(5, 10);
      // 17 May 2027 is also Whit Monday: the first name found is kept.
      if (h.type === 'public' && !days.has(day)) days.set(day, h.name);
    }
    years[year] = [...days]
      .map(([day, name]) => {
        if (!names.includes(name)) names.push(name);
        return `${day}:${names.indexOf(name)}`;
      })
      .join(',');
  }
  return { source: { library: 'date-holidays', version: data.version, license: data.license }, firstYear: FIRST_YEAR, lastYear: LAST_YEAR, names, years };
}

export function norwegianJson(): string {
  return `${JSON.stringify(norwegianHolidays(), null, 2)}\n`;
}

if (process.argv[1] === import.meta.filename) await writeFile(HOLIDAYS_NO, norwegianJson());
