import { Temporal } from 'temporal-polyfill';
import type { MergeValues } from './merge-codes.ts';
import { formatPhoneForReaders } from './phone.ts';
import { isDateOnly } from './deadline.ts';
import type { Customer, SettingsFields, TaskFields } from './model.ts';

/** The values the merge codes of a task's notices are filled with, as of `now` (day counts). */
export function mergeValuesFor(task: TaskFields, customer: Customer, settings: SettingsFields, now: Date): MergeValues {
  const days = task.deadline ? daysToDeadline(task.deadline, settings.timeZone, now) : undefined;
  return {
    customer: {
      name: customer.name,
      email: customer.email,
      mobile: customer.mobile && formatPhoneForReaders(customer.mobile),
      orgNumber: customer.orgNumber,
      number: customer.customerNumber,
    },
    task: {
      title: task.title,
      deadline: task.deadline ? formatDeadline(task.deadline, settings.timeZone) : '',
      responsible: task.responsible,
      description: task.description,
      ...(days === undefined ? {} : { daysLeft: String(Math.max(0, days)), daysOverdue: String(Math.max(0, -days)) }),
    },
    firm: { ...settings.firm, ...(settings.firm.phone ? { phone: formatPhoneForReaders(settings.firm.phone) } : {}) },
  };
}

/** Norwegian style: `10.02.2027`, or `10.02.2027 kl. 14:00` on the firm's wall clock. */
export function formatDeadline(deadline: string, timeZone: string): string {
  const date = (d: Temporal.PlainDate) => `${pad(d.day)}.${pad(d.month)}.${d.year}`;
  if (isDateOnly(deadline)) return date(Temporal.PlainDate.from(deadline));
  const zoned = Temporal.Instant.from(deadline).toZonedDateTimeISO(timeZone);
  return `${date(zoned.toPlainDate())} kl. ${pad(zoned.hour)}:${pad(zoned.minute)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Calendar days from today to the deadline's day, both in the firm's zone (negative once passed). */
export function daysToDeadline(deadline: string, timeZone: string, now: Date): number {
  const day = isDateOnly(deadline) ? Temporal.PlainDate.from(deadline) : Temporal.Instant.from(deadline).toZonedDateTimeISO(timeZone).toPlainDate();
  const today = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).toPlainDate();
  return today.until(day, { largestUnit: 'days' }).days;
}
