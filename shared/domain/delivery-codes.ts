/**
 * The codes a delivery that failed, or must be tried again, can carry (`Delivery.code`), as
 * one closed list. Metrics take their `Reason` from it: a dimension value is a series of its
 * own, so the list keeps every metric to a bounded number of series, whatever a provider
 * answers. Records keep the exact code; `reasonOf` only bounds what metrics see.
 */
export const DELIVERY_CODES = [
  // SES answered (shared/adapters/provider-errors.ts); any other status by its class.
  'ses-throttled',
  /** SES's ThrottlingException for the account's daily quota, not its rate (provider-errors.ts). */
  'ses-daily-quota',
  'ses-limit-exceeded',
  'ses-internal-error',
  'ses-unavailable',
  'ses-message-rejected',
  'ses-bad-request',
  'ses-mail-from-not-verified',
  'ses-not-found',
  'ses-access-denied',
  'ses-sending-paused',
  'ses-account-suspended',
  'ses-http-4xx',
  'ses-http-5xx',
  // The SMS gateway answered.
  'sms-http-4xx',
  'sms-http-5xx',
  'sms-refused',
  // No answer, or none that could be read.
  'connection-refused',
  'dns-failure',
  'connect-timeout',
  'connect-failed',
  'connection-reset',
  'timeout',
  'response-unreadable',
  'network-error',
  // Frist's own, before any provider call.
  'too-long',
  'too-late',
  'no-sender',
  'no-sms-account',
  'configuration',
  'internal',
  // Dispatch must come back though the send did not fail: another attempt holds the claim, or
  // the provider accepted the message but marking it sent or filing it failed.
  'claim-held',
  /** The task was given to another customer between the claim and the send. */
  'customer-changed',
  'record-failed',
  /** The deployment's send rate had no place for the send within the invocation, or the provider kept throttling it (send-pacing.ts). */
  'send-rate',
  /** An SMS held until the end of the firm's quiet hours (send-rules.ts). */
  'quiet-hours',
  // Anything else: a code added without a place here shows up as this.
  'other',
] as const;

export type DeliveryCode = (typeof DELIVERY_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(DELIVERY_CODES);

/** A delivery's code as a metric's `Reason`: itself when listed, its status class (`ses-http-4xx`), else `other`. */
export function reasonOf(code: string | undefined): DeliveryCode {
  if (code === undefined) return 'other';
  if (KNOWN.has(code)) return code as DeliveryCode;
  const status = /^(ses|sms)-http-([45])\d\d$/.exec(code);
  return status ? (`${status[1]}-http-${status[2]}xx` as DeliveryCode) : 'other';
}
