import * as z from 'zod';
import type { Customer, Settings, Task } from './model.ts';
import { busiestSmsWindows, type SmsLimits } from './sms-limits.ts';
import { countryAllowed } from './sms-countries.ts';
import { schema } from './schema.ts';

/**
 * What a save accepts but a firm should hear about: the notice will not go out as it may
 * expect. The save still succeeds; the answer lists these beside the task.
 */
export const SaveWarning = /* @__PURE__ */ schema(() =>
  z.object({
    /** Stable, for a client to show its own words: see docs/api.md. */
    code: z.enum(['past-at-save', 'no-sms-account', 'opted-out', 'sms-sender-not-activated', 'sms-country-not-allowed', 'sms-over-cap']),
    field: z.string(),
    message: z.string(),
  }),
);
export type SaveWarning = z.infer<typeof SaveWarning>;

/** The warnings of a task as saved, against its customer, the firm's settings and the SMS limits in force. */
export function saveWarnings(task: Task, previous: Task | undefined, customer: Customer, settings: Settings, smsLimits: SmsLimits): SaveWarning[] {
  const warnings: SaveWarning[] = [];
  const before = new Set((previous?.plan.occurrences ?? []).map((o) => `${o.noticeId}@${o.at}`));
  task.notices.forEach((notice, index) => {
    const field = `notices.${index}`;
    const pastNow = task.plan.occurrences.filter((o) => o.noticeId === notice.id && o.state === 'past' && !before.has(`${o.noticeId}@${o.at}`));
    if (pastNow.length) {
      warnings.push({ code: 'past-at-save', field, message: `${pastNow.length} of its occurrences were due before this save and will not be sent` });
    }
    for (const channel of notice.channels) {
      if (!customer.optIn[channel]) {
        warnings.push({
          code: 'opted-out',
          field: `${field}.channels`,
          message: `the customer has opted out of ${channel === 'sms' ? 'SMS' : 'e-mail'}: it will be skipped`,
        });
      }
    }
    if (!notice.channels.includes('sms')) return;
    if (customer.mobile && !countryAllowed(customer.mobile, smsLimits)) {
      warnings.push({
        code: 'sms-country-not-allowed',
        field: `${field}.channels`,
        message: "the customer's mobile number is in a country the firm's settings do not allow SMS to: it will be skipped",
      });
    }
    if (!settings.smsAccount || !settings.smsPassword) {
      warnings.push({
        code: 'no-sms-account',
        field: `${field}.channels`,
        message: 'the firm has no SMS account with a password: the SMS will fail until one is set in the settings',
      });
    } else if (settings.smsSender && !settings.smsSenderActivated) {
      warnings.push({
        code: 'sms-sender-not-activated',
        field: `${field}.channels`,
        message: "the firm's SMS sender is not activated yet: the SMS goes out with the default sender",
      });
    }
  });
  const overCap = smsOverCap(task, customer, smsLimits);
  if (overCap) warnings.push({ code: 'sms-over-cap', field: 'notices', message: overCap });
  return warnings;
}

/**
 * Whether the task's own plan sends more SMS in one hour (all to the customer's number) or
 * one day than the firm's caps allow: those over the hourly cap wait for a later hour, those
 * over the daily cap are skipped. Other tasks' SMS count towards the same caps, but a save
 * does not read them: that is a query of every task of the customer on every save, its
 * answer stale as soon as another task changes, and the hourly cap no longer loses an SMS.
 */
function smsOverCap(task: Task, customer: Customer, limits: SmsLimits): string | undefined {
  const smsNotices = new Set(task.notices.filter((n) => n.channels.includes('sms')).map((n) => n.id));
  if (!customer.mobile || !smsNotices.size) return undefined;
  const instants = task.plan.occurrences.filter((o) => o.state === 'scheduled' && smsNotices.has(o.noticeId)).map((o) => o.at);
  const busiest = busiestSmsWindows(instants);
  if (busiest.perHour > limits.perNumberPerHour) {
    return `the notices send ${busiest.perHour} SMS to the customer's number in one hour, over the firm's cap of ${limits.perNumberPerHour}: those over it will wait for a later hour`;
  }
  if (busiest.perDay > limits.perDay) {
    return `the notices send ${busiest.perDay} SMS in one day, over the firm's cap of ${limits.perDay}: those over it will be skipped`;
  }
  return undefined;
}
