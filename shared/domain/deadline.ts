import { Temporal } from 'temporal-polyfill';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A deadline without a time of day (`2027-02-10`), anchored at each notice's `sendAt`. */
export function isDateOnly(deadline: string): boolean {
  return DATE_ONLY.test(deadline);
}

/**
 * When the deadline is over: its instant, or the end of its day in the zone (the next
 * midnight) for a date-only one. A reminder before it must come before this.
 */
export function deadlineEnds(deadline: string, timeZone: string): Temporal.Instant {
  if (!isDateOnly(deadline)) return Temporal.Instant.from(deadline);
  return Temporal.PlainDate.from(deadline).add({ days: 1 }).toZonedDateTime({ timeZone }).toInstant();
}
