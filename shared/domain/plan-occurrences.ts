import { Temporal } from 'temporal-polyfill';
import type { Notice, Occurrence, OccurrenceState, TaskStatus } from './model.ts';
import { parseOffset, type OffsetDuration } from './offset-duration.ts';

/**
 * Plans when each notice of a task goes out.
 *
 * The rules (DESIGN.md, "Time"):
 * - A date-only deadline is anchored at the notice's `sendAt` wall-clock time (default
 *   09:00) in the tenant's zone; a date-time deadline at its own instant.
 * - Calendar parts of the offset (months, weeks, days, repeat intervals) move the wall clock
 *   in the tenant's zone, so 09:00 stays 09:00 across a DST change; time parts (hours,
 *   minutes) move exact time.
 * - A wall-clock time that does not exist (spring gap) moves forward by the gap; one that
 *   exists twice (autumn overlap) takes the earlier instant: Temporal's "compatible".
 * - An occurrence at or before the moment of planning is `past` and is never scheduled;
 *   every occurrence of a completed task that is not past is `stopped`.
 */

export const DEFAULT_SEND_AT = '09:00';

/** What planning reads of a notice. */
export type PlannedNotice = Pick<Notice, 'id' | 'when' | 'offset' | 'sendAt' | 'repeat'>;

export interface PlanInput {
  deadline?: string;
  status: TaskStatus;
  notices: readonly PlannedNotice[];
  timeZone: string;
  /** The moment the plan is made (the save); ISO instant. */
  plannedAt: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export function isDateOnly(deadline: string): boolean {
  return DATE_ONLY.test(deadline);
}

export function planOccurrences(input: PlanInput): Occurrence[] {
  if (!input.deadline) return [];
  const plannedAt = Temporal.Instant.from(input.plannedAt);
  const occurrences = input.notices.flatMap((notice) =>
    occurrenceTimes(input.deadline!, notice, input.timeZone).map((zoned, repetition) => {
      const instant = zoned.toInstant();
      const state: OccurrenceState = Temporal.Instant.compare(instant, plannedAt) <= 0 ? 'past' : input.status === 'completed' ? 'stopped' : 'scheduled';
      return {
        noticeId: notice.id,
        repetition,
        at: instant.toString({ smallestUnit: 'second' }),
        local: zoned.toString({ smallestUnit: 'minute', timeZoneName: 'never' }),
        state,
      };
    }),
  );
  return occurrences.sort((a, b) => a.at.localeCompare(b.at) || a.noticeId.localeCompare(b.noticeId));
}

/**
 * A moment in the format of `Occurrence.at` (whole seconds, `Z`), so that instants compare
 * correctly as strings: `toISOString()`'s milliseconds would sort `…00.000Z` before `…00Z`.
 */
export function utcSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** The next occurrence still to go out after `now`, if any. */
export function nextOccurrence(occurrences: readonly Occurrence[], now: Date): Occurrence | undefined {
  const at = utcSeconds(now);
  return occurrences.find((o) => o.state === 'scheduled' && o.at > at);
}

function occurrenceTimes(deadline: string, notice: PlannedNotice, timeZone: string): Temporal.ZonedDateTime[] {
  const offset = parseOffset(notice.offset);
  if (typeof offset === 'string') throw new Error(`offset ${notice.offset} was not validated before planning`);
  const sign = notice.when === 'before' ? -1 : 1;
  const repetitions = notice.when === 'after' && notice.repeat ? notice.repeat.times : 0;
  return Array.from({ length: repetitions + 1 }, (_, k) =>
    shift(deadline, notice.sendAt ?? DEFAULT_SEND_AT, timeZone, offset, sign, k * (notice.repeat?.every ?? 0)),
  );
}

function shift(deadline: string, sendAt: string, timeZone: string, offset: OffsetDuration, sign: 1 | -1, extraDays: number): Temporal.ZonedDateTime {
  const calendarPart = {
    months: sign * offset.months,
    weeks: sign * offset.weeks,
    days: sign * offset.days + extraDays,
  };
  const timePart = { hours: sign * offset.hours, minutes: sign * offset.minutes, seconds: sign * offset.seconds };
  // A date-only deadline moves its wall clock before it meets the zone, so that a deadline
  // on a gap day does not drag the gap's shift onto a notice days away from it.
  const anchored = isDateOnly(deadline)
    ? Temporal.PlainDate.from(deadline)
        .toPlainDateTime(Temporal.PlainTime.from(sendAt))
        .add(calendarPart)
        .toZonedDateTime(timeZone, { disambiguation: 'compatible' })
    : Temporal.Instant.from(deadline).toZonedDateTimeISO(timeZone).add(calendarPart);
  return anchored.add(timePart);
}
