/**
 * The offset of a notice from its deadline: an ISO-8601 duration (`P3D`, `PT2H`, `P1W`,
 * `P1M`, `PT0S`). Years and fractions are not accepted. The calendar part (months, weeks,
 * days) is applied to the wall clock in the tenant's zone, the time part as exact time.
 */

export interface OffsetDuration {
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const ISO_DURATION = /^P(?:(\d{1,3})M)?(?:(\d{1,3})W)?(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,6})M)?(?:(\d{1,7})S)?)?$/;

/**
 * The same format as a JSON Schema pattern for /openapi.json: the lookaheads refuse a bare
 * `P` and a `T` with nothing after it, which parseOffset checks apart.
 */
export const OFFSET_PATTERN = '^P(?!$)(\\d{1,3}M)?(\\d{1,3}W)?(\\d{1,4}D)?(T(?=\\d)(\\d{1,5}H)?(\\d{1,6}M)?(\\d{1,7}S)?)?$';

/** The longest offset allowed, in days: a notice a year before or after its deadline. */
export const MAX_OFFSET_DAYS = 366;

export type DurationProblem = 'format' | 'too-long';

export function parseOffset(text: string): OffsetDuration | DurationProblem {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return 'format';
  const [months, weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  // A month counts as 30.5 days, so twelve of them are the year the limit means (P12M passes).
  const approxDays = months * 30.5 + weeks * 7 + days + (hours * 3600 + minutes * 60 + seconds) / 86400;
  if (approxDays > MAX_OFFSET_DAYS) return 'too-long';
  return { months, weeks, days, hours, minutes, seconds };
}
