import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import type { Channel, Settings, Task, TaskPlan } from './model.ts';
import { schema } from './schema.ts';

/**
 * The firm's rules for when a notice may go out (issue 10):
 * - `sendOn: businessDays` moves an occurrence off Saturdays, Sundays and Norwegian public
 *   holidays: a before-notice to the previous business day, an after-notice to the next,
 *   at the same wall-clock time. Deadlines are not moved.
 * - Quiet hours hold SMS (never e-mail): an SMS inside the window goes out at its end.
 * Pure functions on Temporal values; the planner and dispatch both use them. The holidays
 * are in business-days.ts, which only planning loads (dispatch's bundle stays small).
 */

export const SendOn = /* @__PURE__ */ schema(() => z.enum(['any', 'businessDays']));
export type SendOn = z.infer<typeof SendOn>;

/** A window on the firm's wall clock, `start` inclusive, `end` exclusive; it may cross midnight. */
export const QuietHours = /* @__PURE__ */ schema(() => z.object({ enabled: z.boolean(), start: z.string(), end: z.string() }));
export type QuietHours = z.infer<typeof QuietHours>;

export const DEFAULT_QUIET_HOURS: QuietHours = { enabled: true, start: '21:00', end: '08:00' };

/** Why an occurrence left the instant its offset gives. */
export const MoveReason = /* @__PURE__ */ schema(() =>
  z.object({
    kind: z.enum(['weekend', 'holiday', 'quiet-hours']),
    /** The local date that was left (`weekend`, `holiday`). */
    date: z.string().optional(),
    /** The holiday's Norwegian name (`holiday`). */
    holiday: z.string().optional(),
  }),
);
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
 * The start of the window `at` is in (call only when inQuietHours): the window's start time
 * on the same day if it is not after `at`, else on the day before.
 */
export function quietHoursStart(at: Temporal.ZonedDateTime, quiet: QuietHours): Temporal.ZonedDateTime {
  const start = Temporal.PlainTime.from(quiet.start);
  const sameDay = at.toPlainDate().toPlainDateTime(start).toZonedDateTime(at.timeZoneId, { disambiguation: 'compatible' });
  if (Temporal.ZonedDateTime.compare(sameDay, at) <= 0) return sameDay;
  return at.toPlainDate().subtract({ days: 1 }).toPlainDateTime(start).toZonedDateTime(at.timeZoneId, { disambiguation: 'compatible' });
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

/** The firm's send rules, with the defaults for what it never set. */
export function firmRules(settings: Pick<Settings, 'sendOn' | 'quietHours'>): SendRules {
  return { sendOn: settings.sendOn ?? 'any', quietHours: settings.quietHours ?? DEFAULT_QUIET_HOURS };
}

/** The rules a stored plan was made under. */
export function planRules(plan: TaskPlan): SendRules {
  return plan.sendOn && plan.quietHours ? { sendOn: plan.sendOn, quietHours: plan.quietHours } : RULES_BEFORE_ISSUE_10;
}

/** True when the plan was made in the firm's zone and under its send rules as they are now. */
export function plannedUnder(plan: TaskPlan, settings: Settings): boolean {
  return plan.timeZone === settings.timeZone && sameRules(planRules(plan), firmRules(settings));
}

/**
 * The channels that go out for a notice at an instant of the stored plan: those of every
 * occurrence there (quiet hours may have split one), or none when the plan has none.
 */
export function occurrenceChannels(task: Task, noticeId: string, at: string): Channel[] {
  const all = task.notices.find((n) => n.id === noticeId)?.channels ?? [];
  const here = task.plan.occurrences.filter((o) => o.noticeId === noticeId && o.at === at);
  return all.filter((c) => here.some((o) => !o.channels || o.channels.includes(c)));
}
