/**
 * Dates as Norwegian staff write them, `dd.mm.yyyy`, and times `HH:mm`, always in the firm's
 * time zone (GET /settings), whatever the browser's zone or language.
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(timeZone: string, instant: Date): Record<string, string> {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
}

/** An instant (ISO with offset or Z) as `dd.mm.yyyy HH:mm` in the zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  const p = partsIn(timeZone, new Date(iso));
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/**
 * A task's deadline: a date-only deadline is that calendar day, shown as it is (no zone
 * arithmetic can move it); a date-time deadline is shown in the firm's zone, with its time.
 */
export function formatDeadline(deadline: string, timeZone: string): string {
  const date = DATE_ONLY.exec(deadline);
  return date ? `${date[3]}.${date[2]}.${date[1]}` : formatDateTime(deadline, timeZone);
}
