import { Temporal } from 'temporal-polyfill';

/** A deadline as the form edits it: a date, and a time of day in the firm's zone ('' for a date-only deadline). */
export interface DeadlineParts {
  date: string;
  time: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A stored deadline (`YYYY-MM-DD` or an instant with offset) as its date and time in the firm's zone. */
export function deadlineParts(deadline: string | undefined, timeZone: string): DeadlineParts {
  if (!deadline) return { date: '', time: '' };
  if (DATE_ONLY.test(deadline)) return { date: deadline, time: '' };
  const local = Temporal.Instant.from(deadline).toZonedDateTimeISO(timeZone);
  return { date: local.toPlainDate().toString(), time: local.toPlainTime().toString({ smallestUnit: 'minute' }) };
}

/**
 * The API's deadline for a date and an optional time in the firm's zone: the date as it is, or
 * the date-time with the zone's offset on that day (DST-correct: 14:00 in Oslo is +01:00 in
 * February, +02:00 in June). A time in the spring gap moves forward, as the API plans it.
 * What the browser cannot read is passed on as it is, for the schema to refuse.
 */
export function deadlineOf({ date, time }: DeadlineParts, timeZone: string): string | undefined {
  if (!date) return time ? `T${time}` : undefined;
  if (!time) return date;
  try {
    return Temporal.PlainDateTime.from(`${date}T${time}`)
      .toZonedDateTime(timeZone, { disambiguation: 'compatible' })
      .toString({ timeZoneName: 'never', smallestUnit: 'second' });
  } catch {
    return `${date}T${time}`;
  }
}
