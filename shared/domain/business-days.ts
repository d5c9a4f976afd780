import { Temporal } from 'temporal-polyfill';
import norwegianHolidays from './holidays-no.json' with { type: 'json' };
import { inQuietHours, quietHoursEnd, quietHoursStart, type MoveReason, type SendRules } from './send-rules.ts';

/**
 * Business days: Saturdays, Sundays and Norwegian public holidays are not (send-rules.ts has
 * the rest of the rules). The holidays are a table of every year from 2000 to 2299, computed
 * by `date-holidays` when `npm run holidays` writes it (local/pick-holidays.ts): only the
 * official public holidays, not Christmas Eve or New Year's Eve (docs/decisions.md). Beyond
 * the table a year has weekends only.
 */
const holidaysByYear = new Map<number, Map<string, string>>();

function holidaysOf(year: number): Map<string, string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    const listed: string = (norwegianHolidays.years as Record<string, string>)[year] ?? '';
    days = new Map(
      listed
        .split(',')
        .filter(Boolean)
        .map((entry) => {
          const [monthDay, name] = entry.split(':');
          return [`${year}-${monthDay}`, norwegianHolidays.names[Number(name)]!];
        }),
    );
    holidaysByYear.set(year, days);
  }
  return days;
}

/** The Norwegian public holiday on this date, by its Norwegian name, if any. */
export function publicHoliday(date: Temporal.PlainDate): string | undefined {
  return holidaysOf(date.year).get(date.toString());
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

/**
 * When an SMS planned at `at` may go out: at once outside quiet hours, else at the window's
 * end; with business days, a window that ends on a day off moves on to the next business day
 * at the window's end time. A reminder before a deadline (`dueBy`, the deadline's instant)
 * goes out before the window starts instead (beforeWindow) when the window's end is at or
 * after the deadline (a reminder after it reminds of nothing), or lies beyond a day off:
 * business days move a before-notice earlier, never later over a weekend or Easter.
 */
export function smsSendTime(at: Temporal.ZonedDateTime, rules: SendRules, dueBy?: Temporal.Instant): Moved {
  if (!inQuietHours(at, rules.quietHours)) return { at, because: [] };
  const afterWindow = windowEnd(at, rules);
  if (!dueBy) return afterWindow;
  const overDayOff = afterWindow.because.length > 1;
  return overDayOff || Temporal.Instant.compare(afterWindow.at.toInstant(), dueBy) >= 0 ? beforeWindow(at, rules) : afterWindow;
}

const QUIET: MoveReason = { kind: 'quiet-hours' };

function windowEnd(at: Temporal.ZonedDateTime, rules: SendRules): Moved {
  const end = quietHoursEnd(at, rules.quietHours);
  if (rules.sendOn !== 'businessDays') return { at: end, because: [QUIET] };
  const onBusinessDay = toBusinessDay(end, 1);
  return { at: onBusinessDay.at, because: [QUIET, ...onBusinessDay.because] };
}

/**
 * Half an hour before the window `at` is in starts (20:30 with the default 21:00), so that a
 * late dispatch or a retry still goes out before the window holds it; a minute before when
 * the time between two windows is shorter than that. With business days, on the previous
 * business day at that time.
 */
function beforeWindow(at: Temporal.ZonedDateTime, rules: SendRules): Moved {
  const start = quietHoursStart(at, rules.quietHours);
  const evening = [30, 1].map((minutes) => start.subtract({ minutes })).find((t) => !inQuietHours(t, rules.quietHours))!;
  if (rules.sendOn !== 'businessDays') return { at: evening, because: [QUIET] };
  const onBusinessDay = toBusinessDay(evening, -1);
  return { at: onBusinessDay.at, because: [QUIET, ...onBusinessDay.because] };
}
