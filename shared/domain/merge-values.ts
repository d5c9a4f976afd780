import { Temporal } from 'temporal-polyfill';
import { usedMergeCodes, type MergeValues } from './merge-codes.ts';
import { isDateOnly } from './deadline.ts';
import type { Customer, SettingsFields, TaskFields } from './model.ts';

/** How phone numbers are written in merge values: phone.ts's `formatPhoneForReaders`. */
export type PhoneFormat = (number: string) => string;

/**
 * The values the merge codes of a task's notices are filled with, as of `now` (day counts).
 * `formatPhone` writes the customer's mobile and the firm's phone; without it both are left
 * out, for texts that use neither (mergeValuesForTexts).
 */
export function mergeValuesFor(task: TaskFields, customer: Customer, settings: SettingsFields, now: Date, formatPhone: PhoneFormat | undefined): MergeValues {
  const phone = (number: string | undefined) => (number && formatPhone ? formatPhone(number) : undefined);
  const days = task.deadline ? daysToDeadline(task.deadline, settings.timeZone, now) : undefined;
  return {
    customer: {
      name: customer.name,
      email: customer.email,
      mobile: phone(customer.mobile),
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
    firm: { ...settings.firm, ...(settings.firm.phone ? { phone: phone(settings.firm.phone) } : {}) },
  };
}

/** The merge codes that write a phone number: only they need libphonenumber's metadata. */
const PHONE_CODES = ['customer.mobile', 'firm.phone'];

/**
 * The merge values for these texts (all that will be filled in): the phone numbers are
 * formatted only when a text has their codes, and only then is libphonenumber loaded (its
 * metadata is most of a dispatch bundle; docs/decisions.md, "Cold start: phone numbers on
 * first need"). For other texts, the values are those of mergeValuesFor without the numbers.
 */
export async function mergeValuesForTexts(
  texts: readonly string[],
  task: TaskFields,
  customer: Customer,
  settings: SettingsFields,
  now: Date,
): Promise<MergeValues> {
  const usesPhone = texts.some((text) => PHONE_CODES.some((code) => usedMergeCodes(text).has(code)));
  const formatPhone = usesPhone ? (await import('./phone.ts')).formatPhoneForReaders : undefined;
  return mergeValuesFor(task, customer, settings, now, formatPhone);
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
