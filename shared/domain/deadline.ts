const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A deadline without a time of day (`2027-02-10`), anchored at each notice's `sendAt`. */
export function isDateOnly(deadline: string): boolean {
  return DATE_ONLY.test(deadline);
}
