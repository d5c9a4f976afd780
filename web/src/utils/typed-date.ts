/**
 * A date as a user types it into a date field, as the API's `YYYY-MM-DD`; `null` while it is
 * not (yet) a whole, real date. Norwegian staff write `10.02.2027` (also `10.2.2027`, with `/`
 * or `-` between); an ISO date (`2027-02-10`, e.g. pasted) is taken too. The year has four
 * digits, so `10.02.202` half-typed is no date, never the year 202.
 */
export function parseTypedDate(text: string): string | null {
  const trimmed = text.trim();
  const dayFirst = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(trimmed);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const [year, month, day] = dayFirst ? [dayFirst[3], dayFirst[2], dayFirst[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!year || !month || !day) return null;
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  // A real calendar day: 31.02 or 00.13 is none.
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}
