import * as z from 'zod';
import { schema } from './schema.ts';

/**
 * The SMS-pumping guard (OWASP API6): what a firm's SMS may cost at most, whatever its tasks,
 * notices, retries or a stolen token ask for. Dispatch sends an SMS only to a country the
 * firm allows, and only after it took a unit of every cap (shared/use-cases/sms-allowance.ts);
 * otherwise the SMS is `skipped` (`country-not-allowed`, `rate-limited`), never sent.
 */
export const SmsLimits = /* @__PURE__ */ schema(() =>
  z.object({
    /** ISO 3166 alpha-2 codes of the countries SMS may go to (by the number's country). */
    allowedCountries: z.array(z.string()),
    /** SMS per UTC day for the whole firm. */
    perDay: z.int(),
    /** SMS per UTC hour to one number. */
    perNumberPerHour: z.int(),
  }),
);
export type SmsLimits = z.infer<typeof SmsLimits>;

/**
 * Norway only, 500 a day, 5 an hour to one number: a firm that needs more says so in its
 * settings, up to the deployment's ceiling, and a raise waits (sms-limit-changes.ts).
 */
export const SMS_LIMIT_DEFAULTS: SmsLimits = { allowedCountries: ['NO'], perDay: 500, perNumberPerHour: 5 };

/** The caps, each counted by its own item: the firm's per number and hour, the firm's per day, the deployment's per day. */
export const SmsCapRule = /* @__PURE__ */ schema(() => z.enum(['per-number-hour', 'per-day', 'deployment-per-day']));
export type SmsCapRule = z.infer<typeof SmsCapRule>;

/** One counter an SMS takes a unit of before it is sent. */
export interface SmsCounter {
  limit: SmsCapRule;
  /** `per-number-hour#<number hash>#2027-02-10T08`, `per-day#2027-02-10`: the item's key and what a delivery remembers it counted in. */
  id: string;
  /** The firm's counter, or the one the whole deployment shares. */
  scope: 'tenant' | 'deployment';
  cap: number;
  /** Epoch seconds after which DynamoDB may delete the item (TTL): two days after its window ended. */
  expiresAt: number;
}

/**
 * The counters an SMS to a number (`numberKey`: its hash, so that no phone number is in a key,
 * and keys are logged) sent at `now` takes a unit of, the narrowest first (it
 * refuses soonest, so fewer units are taken and given back). Windows are UTC hours and days:
 * a Norwegian day then starts at 01:00 or 02:00 local time, inside the quiet night.
 */
export function smsCounters(numberKey: string, now: Date, limits: SmsLimits, deploymentPerDay: number): SmsCounter[] {
  const iso = now.toISOString();
  const hour = iso.slice(0, 13);
  const day = iso.slice(0, 10);
  const hourEnds = Date.parse(`${hour}:00:00Z`) + 3_600_000;
  const dayEnds = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
  const expiry = (endMs: number) => Math.floor(endMs / 1000) + 2 * 86_400;
  return [
    { limit: 'per-number-hour', id: `per-number-hour#${numberKey}#${hour}`, scope: 'tenant', cap: limits.perNumberPerHour, expiresAt: expiry(hourEnds) },
    { limit: 'per-day', id: `per-day#${day}`, scope: 'tenant', cap: limits.perDay, expiresAt: expiry(dayEnds) },
    { limit: 'deployment-per-day', id: `deployment-per-day#${day}`, scope: 'deployment', cap: deploymentPerDay, expiresAt: expiry(dayEnds) },
  ];
}

/**
 * How many SMS a plan sends in its busiest UTC hour and day (every SMS of a task goes to the
 * one customer's number): what a save compares with the caps.
 */
export function busiestSmsWindows(instants: readonly string[]): { perHour: number; perDay: number } {
  const most = (length: number) => {
    const counts = new Map<string, number>();
    for (const at of instants) counts.set(at.slice(0, length), (counts.get(at.slice(0, length)) ?? 0) + 1);
    return Math.max(0, ...counts.values());
  };
  return { perHour: most(13), perDay: most(10) };
}
