import Holidays from 'date-holidays';
import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';

/**
 * The firm's rules for when a notice may go out (issue 10):
 * - `sendOn: businessDays` moves an occurrence off Saturdays, Sundays and Norwegian public
 *   holidays: a before-notice to the previous business day, an after-notice to the next,
 *   at the same wall-clock time. Deadlines are not moved.
 * - Quiet hours hold SMS (never e-mail): an SMS inside the window goes out at its end.
 * Pure functions on Temporal values; the planner and dispatch both use them.
 */

export const SendOn = z.enum(['any', 'businessDays']);
export type SendOn = z.infer<typeof SendOn>;

/** A window on the firm's wall clock, `start` inclusive, `end` exclusive; it may cross midnight. */
export const QuietHours = z.object({ enabled: z.boolean(), start: z.string(), end: z.string() });
export type QuietHours = z.infer<typeof QuietHours>;

export const DEFAULT_QUIET_HOURS: QuietHours = { enabled: true, start: '21:00', end: '08:00' };

/** Why an occurrence left the instant its offset gives. */
export const MoveReason = z.object({
  kind: z.enum(['weekend', 'holiday', 'quiet-hours']),
  /** The local date that was left (`weekend`, `holiday`). */
  date: z.string().optional(),
  /** The holiday's Norwegian name (`holiday`). */
  holiday: z.string().optional(),
});
export type MoveReason = z.infer<typeof MoveReason>;

/** The rules a plan is made under; settings and notices fill them in. */
export interface SendRules {
  sendOn: SendOn;
  quietHours: QuietHours;
}

/** What a firm that never set them has: every day, quiet hours 21:00-08:00. */
export const DEFAULT_SEND_RULES: SendRules = { sendOn: 'any', quietHours: DEFAULT_QUIET_HOURS };

/** A plan stored before the rules existed was made sending on any day, with no quiet hours. */
export const RULES_BEFORE_ISSUE_10: SendRules = { sendOn: 'any', quietHours: { ...DEFAULT_QUIET_HOURS, enabled: false } };

export function sameRules(a: SendRules, b: SendRules): boolean {
  const quiet = (q: QuietHours) => (q.enabled ? `${q.start}-${q.end}` : 'off');
  return a.sendOn === b.sendOn && quiet(a.quietHours) === quiet(b.quietHours);
}

// Only the official public holidays ("public" in date-holidays): Christmas Eve and New
// Year's Eve are `bank` days there, many offices work them, and a firm that closes then can
// still move its notices by hand (docs/decisions.md).
const norway = new Holidays('NO');
const holidaysByYear = new Map<number, Map<string, string>>();

/** The Norwegian public holiday on this date, by its Norwegian name, if any. */
export function publicHoliday(date: Temporal.PlainDate): string | undefined {
  let year = holidaysByYear.get(date.year);
  if (!year) {
    year = new Map();
    for (const h of norway.getHolidays(date.year, 'no')) {
      const day = h.date.slice(0, 10);
      // 17 May 2027 is also Whit Monday: the first name found is kept.
      if (h.type === 'public' && !year.has(day)) year.set(day, h.name);
    }
    holidaysByYear.set(date.year, year);
  }
  return year.get(date.toString());
}

/** Why this date is not a business day, or undefined when it is one. */
export function nonBusinessReason(date: Temporal.PlainDate): MoveReason | undefined {
  const holiday = publicHoliday(date);
  if (holiday) return { kind: 'holiday', date: date.toString(), holiday };
  if (date.dayOfWeek >= 6) return { kind: 'weekend', date: date.toString() };
  return undefined;
}

export interface Moved {
  at: Temporal.ZonedDateTime;
  because: MoveReason[];
}

/**
 * The nearest business day in `direction` (-1 earlier, +1 later) at the same wall-clock
 * time, with each day left and why. A wall-clock time that does not exist that day (the
 * spring gap) moves forward by the gap, as planning does everywhere.
 */
export function toBusinessDay(at: Temporal.ZonedDateTime, direction: 1 | -1): Moved {
  const because: MoveReason[] = [];
  let day = at.toPlainDate();
  // At most a long weekend with holidays around it; 14 days bounds a calendar gone wrong.
  for (let i = 0; i < 14; i += 1) {
    const reason = nonBusinessReason(day);
    if (!reason) break;
    because.push(reason);
    day = day.add({ days: direction });
  }
  if (!because.length) return { at, because };
  const moved = day.toPlainDateTime(at.toPlainTime()).toZonedDateTime(at.timeZoneId, { disambiguation: 'compatible' });
  return { at: moved, because };
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** True when the wall-clock time of `at` is inside the window. */
export function inQuietHours(at: Temporal.ZonedDateTime, quiet: QuietHours): boolean {
  if (!quiet.enabled) return false;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const now = at.hour * 60 + at.minute;
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * The end of the window `at` is in (call only when inQuietHours): the window's end time on
 * the same day if it is still ahead, else on the next day.
 */
export function quietHoursEnd(at: Temporal.ZonedDateTime, quiet: QuietHours): Temporal.ZonedDateTime {
  const end = Temporal.PlainTime.from(quiet.end);
  const sameDay = at.toPlainDate().toPlainDateTime(end).toZonedDateTime(at.timeZoneId, { disambiguation: 'compatible' });
  if (Temporal.ZonedDateTime.compare(sameDay, at) > 0) return sameDay;
  return at.toPlainDate().add({ days: 1 }).toPlainDateTime(end).toZonedDateTime(at.timeZoneId, { disambiguation: 'compatible' });
}

/**
 * When an SMS planned at `at` may go out: at once outside quiet hours, else at the window's
 * end; with business days, a window that ends on a day off moves on to the next business day
 * at the window's end time.
 */
export function smsSendTime(at: Temporal.ZonedDateTime, rules: SendRules): Moved {
  if (!inQuietHours(at, rules.quietHours)) return { at, because: [] };
  const end = quietHoursEnd(at, rules.quietHours);
  const quiet: MoveReason = { kind: 'quiet-hours' };
  if (rules.sendOn !== 'businessDays') return { at: end, because: [quiet] };
  const onBusinessDay = toBusinessDay(end, 1);
  return { at: onBusinessDay.at, because: [quiet, ...onBusinessDay.because] };
}

/**
 * How long of the span from `from` to `to` lies inside quiet hours, in milliseconds: time an
 * SMS waited for the window's end does not count towards its lateness.
 */
export function quietMillisBetween(from: Temporal.Instant, to: Temporal.Instant, timeZone: string, quiet: QuietHours): number {
  if (!quiet.enabled || Temporal.Instant.compare(from, to) >= 0) return 0;
  let total = 0;
  // Windows that may overlap the span: one starting the day before `from` up to one starting on `to`'s day.
  let day = from.toZonedDateTimeISO(timeZone).toPlainDate().subtract({ days: 1 });
  const last = to.toZonedDateTimeISO(timeZone).toPlainDate();
  for (let i = 0; Temporal.PlainDate.compare(day, last) <= 0 && i < 400; i += 1, day = day.add({ days: 1 })) {
    const start = day.toPlainDateTime(Temporal.PlainTime.from(quiet.start)).toZonedDateTime(timeZone, { disambiguation: 'compatible' });
    const end = quietHoursEnd(start, quiet).toInstant();
    const overlapStart = Temporal.Instant.compare(start.toInstant(), from) > 0 ? start.toInstant() : from;
    const overlapEnd = Temporal.Instant.compare(end, to) < 0 ? end : to;
    const ms = overlapEnd.epochMilliseconds - overlapStart.epochMilliseconds;
    if (ms > 0) total += ms;
  }
  return total;
}
