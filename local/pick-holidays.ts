import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { data } from 'date-holidays/data';

/**
 * Writes shared/domain/holidays-no.json: the Norwegian part of `date-holidays`' data, which
 * the holiday rules read through `date-holidays-parser` (`npm run holidays`). The whole data
 * of every country is about 0.8 MB in each bundle that plans; Norway's is about 15 KB.
 * test/unit/holidays-no.test.ts fails when the file is not what the installed library gives,
 * so an upgrade of `date-holidays` brings its corrections here by running this again.
 */
export const HOLIDAYS_NO = resolve(import.meta.dirname, '..', 'shared', 'domain', 'holidays-no.json');

type HolidayData = typeof data;

/** Norway's rules, and the shared holiday names they refer to (`_name`). */
export function norwegianPart(all: HolidayData): HolidayData {
  const norway = all.holidays.NO;
  const referred = new Set<string>();
  JSON.stringify(norway, (key, value: unknown) => {
    if (key === '_name' && typeof value === 'string') referred.add(value);
    return value;
  });
  const names = Object.fromEntries(Object.entries(all.names).filter(([name]) => referred.has(name)));
  return { version: all.version, license: all.license, holidays: { NO: norway }, names };
}

export function norwegianJson(): string {
  return `${JSON.stringify(norwegianPart(data), null, 2)}\n`;
}

if (process.argv[1] === import.meta.filename) await writeFile(HOLIDAYS_NO, norwegianJson());
