import { Temporal } from 'temporal-polyfill';
import type { Channel, Notice, Occurrence, OccurrenceState, TaskStatus } from './model.ts';
import { parseOffset, type OffsetDuration } from './offset-duration.ts';
import { smsSendTime, toBusinessDay } from './business-days.ts';
import { deadlineEnds, isDateOnly } from './deadline.ts';
import type { MoveReason, SendRules } from './send-rules.ts';

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
 * - The firm's send rules (send-rules.ts) then move it: with business days off a weekend or
 *   public holiday (earlier for a before-notice, later for an after-notice); an SMS inside
 *   quiet hours to the window's end, or, for a before-notice whose SMS would then come at or
 *   after the deadline or after a day off, to half an hour before the window starts
 *   (business-days.ts, smsSendTime). When only the SMS moves, the occurrence is split in
 *   two, each carrying its `channels`: e-mail at its time, SMS at the window's end.
 * - Two occurrences of one notice that land on the same instant (a daily repetition moved
 *   off a weekend onto Monday) are one: a customer gets one message, not two at once.
 */

export const DEFAULT_SEND_AT = '09:00';

/** What planning reads of a notice. */
export type PlannedNotice = Pick<Notice, 'id' | 'when' | 'offset' | 'sendAt' | 'repeat' | 'channels' | 'sendOn'>;

export interface PlanInput {
  deadline?: string;
  status: TaskStatus;
  notices: readonly PlannedNotice[];
  timeZone: string;
  /** The firm's rules; a notice's own `sendOn` overrides the firm's. */
  rules: SendRules;
  /** The moment the plan is made (the save); ISO instant. */
  plannedAt: string;
}

// In a module of its own: merge-values needs it, and dispatch should not load the holidays.
export { isDateOnly };

export function planOccurrences(input: PlanInput): Occurrence[] {
  if (!input.deadline) return [];
  const plannedAt = Temporal.Instant.from(input.plannedAt);
  const deadline = deadlineEnds(input.deadline, input.timeZone);
  const occurrences = input.notices.flatMap((notice) =>
    mergeSameInstant(
      occurrenceTimes(input.deadline!, notice, input.timeZone).flatMap((zoned, repetition) =>
        applyRules(zoned, notice, { ...input.rules, sendOn: notice.sendOn ?? input.rules.sendOn }, deadline).map((part) => {
          const instant = part.at.toInstant();
          const state: OccurrenceState = Temporal.Instant.compare(instant, plannedAt) <= 0 ? 'past' : input.status === 'completed' ? 'stopped' : 'scheduled';
          return {
            noticeId: notice.id,
            repetition,
            at: instant.toString({ smallestUnit: 'second' }),
            local: localOf(part.at),
            state,
            ...(part.channels.length < notice.channels.length ? { channels: part.channels } : {}),
            ...(part.because.length
              ? { movedFrom: zoned.toInstant().toString({ smallestUnit: 'second' }), movedFromLocal: localOf(zoned), movedBecause: part.because }
              : {}),
          };
        }),
      ),
      notice.channels,
    ),
  );
  return occurrences.sort((a, b) => a.at.localeCompare(b.at) || a.noticeId.localeCompare(b.noticeId));
}

function localOf(zoned: Temporal.ZonedDateTime): string {
  return zoned.toString({ smallestUnit: 'minute', timeZoneName: 'never' });
}

interface Part {
  at: Temporal.ZonedDateTime;
  channels: Channel[];
  because: MoveReason[];
}

/**
 * The instant(s) one occurrence goes out at under the rules: one, or two when quiet hours hold
 * its SMS. A before-notice's SMS is to come before `deadline` (smsSendTime).
 */
function applyRules(zoned: Temporal.ZonedDateTime, notice: PlannedNotice, rules: SendRules, deadline: Temporal.Instant): Part[] {
  const day = rules.sendOn === 'businessDays' ? toBusinessDay(zoned, notice.when === 'before' ? -1 : 1) : { at: zoned, because: [] };
  if (!notice.channels.includes('sms')) return [{ at: day.at, channels: notice.channels, because: day.because }];
  const sms = smsSendTime(day.at, rules, notice.when === 'before' ? deadline : undefined);
  if (!sms.because.length) return [{ at: day.at, channels: notice.channels, because: day.because }];
  const others = notice.channels.filter((c) => c !== 'sms');
  const held: Part = { at: sms.at, channels: ['sms'], because: [...day.because, ...sms.because] };
  return others.length ? [{ at: day.at, channels: others, because: day.because }, held] : [held];
}

/**
 * One notice's occurrences that share an instant become one, with the first repetition's
 * number and reasons and the channels of all: one schedule, one delivery per channel.
 */
function mergeSameInstant(occurrences: Occurrence[], noticeChannels: Channel[]): Occurrence[] {
  const byInstant = new Map<string, Occurrence>();
  for (const o of occurrences) {
    const first = byInstant.get(o.at);
    if (!first?.channels) {
      if (!first) byInstant.set(o.at, o);
      continue;
    }
    const joined = new Set([...first.channels, ...(o.channels ?? noticeChannels)]);
    const { channels: _all, ...rest } = first;
    byInstant.set(o.at, joined.size === noticeChannels.length ? rest : { ...rest, channels: noticeChannels.filter((c) => joined.has(c)) });
  }
  return [...byInstant.values()];
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
