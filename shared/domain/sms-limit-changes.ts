import * as z from 'zod';
import type { FieldIssue } from '../errors.ts';
import { SMS_LIMIT_DEFAULTS, SmsLimits } from './sms-limits.ts';
import { schema } from './schema.ts';

/**
 * How far a firm's SMS caps may go, and how fast. A stolen token can change the settings like
 * the firm itself, so the guard's caps must not be the thief's to lift:
 * - the deployment sets a ceiling (the most a firm may ask for, and the countries it may
 *   allow at all); a save above it is refused, and the guard never uses more than it;
 * - lowering a cap or removing a country takes effect at once, while raising one waits
 *   (`delayHours`, 24 by default) as a pending raise that GET /settings shows and the operator
 *   is told of (the `SmsCapRaiseRequested` metric and its alarm): a thief's raise can be
 *   seen and undone before it costs anything.
 */
export interface SmsCeiling {
  perDay: number;
  perNumberPerHour: number;
  /** The ISO 3166 codes a firm may allow SMS to. */
  countries: readonly string[];
}

/** A raise that is waiting for its time: the whole set of limits the firm asked for. */
export const SmsLimitsPending = /* @__PURE__ */ schema(() =>
  SmsLimits.extend({
    requestedAt: z.string(),
    /** From this instant on, these are the limits in force. */
    effectiveAt: z.string(),
  }),
);
export type SmsLimitsPending = z.infer<typeof SmsLimitsPending>;

/** What the settings store of the guard: the limits in force since the last save, and a raise waiting. */
export interface StoredSmsLimits {
  smsLimits?: SmsLimits;
  smsLimitsPending?: SmsLimitsPending;
}

/** The limits in force at `now` as saved: the pending raise once its time has come (no ceiling applied). */
export function savedLimitsAt(settings: StoredSmsLimits, now: Date): SmsLimits {
  const pending = pendingAt(settings, now);
  if (settings.smsLimitsPending && !pending) return limitsOf(settings.smsLimitsPending);
  return settings.smsLimits ?? SMS_LIMIT_DEFAULTS;
}

/** The raise still waiting at `now`, if there is one. */
export function pendingAt(settings: StoredSmsLimits, now: Date): SmsLimitsPending | undefined {
  const pending = settings.smsLimitsPending;
  return pending && Date.parse(pending.effectiveAt) > now.getTime() ? pending : undefined;
}

/**
 * What the guard uses at `now`: the limits in force, each cut to the deployment's ceiling (a
 * firm that saved more before the ceiling was lowered gets no more than it).
 */
export function smsLimitsInForce(settings: StoredSmsLimits, now: Date, ceiling: SmsCeiling): SmsLimits {
  const limits = savedLimitsAt(settings, now);
  return {
    allowedCountries: limits.allowedCountries.filter((c) => ceiling.countries.includes(c)),
    perDay: Math.min(limits.perDay, ceiling.perDay),
    perNumberPerHour: Math.min(limits.perNumberPerHour, ceiling.perNumberPerHour),
  };
}

/** What the firm last asked for: the pending raise, else the limits in force (the base of a merge patch). */
export function requestedLimitsAt(settings: StoredSmsLimits, now: Date): SmsLimits {
  const pending = pendingAt(settings, now);
  return pending ? limitsOf(pending) : savedLimitsAt(settings, now);
}

/**
 * Where `wanted` goes over the ceiling. A value the firm already has (in force or pending) is
 * not refused again, so that a deployment that lowers its ceiling does not make every later
 * save of a firm fail; the guard still cuts it to the ceiling.
 */
export function ceilingIssues(wanted: SmsLimits, had: SmsLimits, ceiling: SmsCeiling): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const cap of ['perDay', 'perNumberPerHour'] as const) {
    if (wanted[cap] > ceiling[cap] && wanted[cap] > had[cap]) {
      issues.push({ field: `smsLimits.${cap}`, rule: 'max', message: `must be at most ${ceiling[cap]}, this deployment's ceiling` });
    }
  }
  wanted.allowedCountries.forEach((country, index) => {
    if (!ceiling.countries.includes(country) && !had.allowedCountries.includes(country)) {
      issues.push({
        field: `smsLimits.allowedCountries.${index}`,
        rule: 'country-not-offered',
        message: `SMS to ${country} are not offered by this deployment; it offers ${ceiling.countries.join(', ') || 'no country'}`,
      });
    }
  });
  return issues;
}

/**
 * The guard's limits after a save that asks for `wanted` at `now`.
 * - What lowers (a smaller cap, a country left out) is in force at once.
 * - What raises waits `delayHours` as the pending raise; a later save replaces it (a save
 *   that raises nothing cancels it).
 * - A save that raises nothing beyond the waiting raise keeps its time, so that saving
 *   another setting does not put it off; one that raises more starts the wait again.
 * `raised` says whether this save asked for a raise the waiting one did not have.
 */
export function changeSmsLimits(
  settings: StoredSmsLimits,
  wanted: SmsLimits,
  now: Date,
  delayHours: number,
): { smsLimits: SmsLimits; smsLimitsPending?: SmsLimitsPending; raised: boolean } {
  const inForce = savedLimitsAt(settings, now);
  const atOnce: SmsLimits = {
    allowedCountries: wanted.allowedCountries.filter((c) => inForce.allowedCountries.includes(c)),
    perDay: Math.min(inForce.perDay, wanted.perDay),
    perNumberPerHour: Math.min(inForce.perNumberPerHour, wanted.perNumberPerHour),
  };
  if (delayHours === 0 || !raises(wanted, inForce)) return { smsLimits: delayHours === 0 ? wanted : atOnce, raised: false };
  const waiting = pendingAt(settings, now);
  if (waiting && !raises(wanted, maxOf(inForce, limitsOf(waiting)))) {
    return { smsLimits: atOnce, smsLimitsPending: { ...wanted, requestedAt: waiting.requestedAt, effectiveAt: waiting.effectiveAt }, raised: false };
  }
  const effectiveAt = new Date(now.getTime() + delayHours * 3_600_000).toISOString();
  return { smsLimits: atOnce, smsLimitsPending: { ...wanted, requestedAt: now.toISOString(), effectiveAt }, raised: true };
}

/** Whether `wanted` allows more than `base` anywhere: a higher cap or another country. */
export function raises(wanted: SmsLimits, base: SmsLimits): boolean {
  return (
    wanted.perDay > base.perDay || wanted.perNumberPerHour > base.perNumberPerHour || wanted.allowedCountries.some((c) => !base.allowedCountries.includes(c))
  );
}

/** The most of either: what a firm has or is waiting for. */
export function maxOf(a: SmsLimits, b: SmsLimits): SmsLimits {
  return {
    allowedCountries: [...new Set([...a.allowedCountries, ...b.allowedCountries])],
    perDay: Math.max(a.perDay, b.perDay),
    perNumberPerHour: Math.max(a.perNumberPerHour, b.perNumberPerHour),
  };
}

function limitsOf({ allowedCountries, perDay, perNumberPerHour }: SmsLimits): SmsLimits {
  return { allowedCountries, perDay, perNumberPerHour };
}
