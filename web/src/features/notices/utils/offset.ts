import { parseOffset } from '../../../../../shared/domain/offset-duration.ts';

/** The units a notice's offset is entered in. Days and longer move the wall clock; hours and minutes exact time. */
export const OFFSET_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months'] as const;
export type OffsetUnit = (typeof OFFSET_UNITS)[number];

export interface OffsetParts {
  amount: number;
  unit: OffsetUnit;
}

const ISO_SUFFIX: Record<OffsetUnit, (n: number) => string> = {
  minutes: (n) => `PT${n}M`,
  hours: (n) => `PT${n}H`,
  days: (n) => `P${n}D`,
  weeks: (n) => `P${n}W`,
  months: (n) => `P${n}M`,
};

/** A number and a unit as the API's ISO-8601 duration (`3 days` → `P3D`, `2 hours` → `PT2H`). */
export function toIsoOffset(amount: number | string, unit: OffsetUnit): string {
  // Anything but a whole number is sent as it is typed, so the API's own rule (`duration`) refuses it.
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0) return `P${amount}`;
  return ISO_SUFFIX[unit](amount);
}

/**
 * A stored offset as a number and a unit. A single unit reads back as itself (`P1W` → 1 week,
 * `P1M` → 1 month). An offset mixing units (`P1DT12H`, which the API accepts) is shown in the
 * smallest unit that holds it exactly; saved again it moves exact time rather than the wall
 * clock, which differs only across a DST change.
 */
export function fromIsoOffset(iso: string): OffsetParts {
  const parsed = parseOffset(iso);
  if (typeof parsed !== 'object') return { amount: 0, unit: 'days' };
  const { months, weeks, days, hours, minutes, seconds } = parsed;
  const timeMinutes = hours * 60 + minutes + Math.round(seconds / 60);
  const calendar = [months, weeks, days].filter((n) => n > 0).length;
  if (timeMinutes === 0) {
    if (calendar === 0) return { amount: 0, unit: iso.includes('T') ? 'hours' : 'days' };
    if (calendar === 1 && months > 0) return { amount: months, unit: 'months' };
    if (calendar === 1 && weeks > 0) return { amount: weeks, unit: 'weeks' };
    if (months === 0) return { amount: weeks * 7 + days, unit: 'days' };
  }
  const total = (months * 31 + weeks * 7 + days) * 24 * 60 + timeMinutes;
  return total % 60 === 0 ? { amount: total / 60, unit: 'hours' } : { amount: total, unit: 'minutes' };
}
