import * as z from 'zod';
import { Channel } from './model.ts';
import { SmsEncoding } from './sms-encoding.ts';
import { schema } from './schema.ts';

/**
 * One delivery: the effect of one (task, notice, occurrence, channel). Its record is the
 * claim that makes dispatch idempotent, and, once sent, the index entry of its document.
 *
 *   (none) ──claim──> claimed ──provider accepted──> sent ──filed──> sent + document  (SMS: filed after)
 *     │                │  ├──permanent error, too long──> failed
 *     │                │  ├──transient error, unknown outcome──> retrying ──claim (next attempt)──> claimed
 *     │                │  └──task no longer open / occurrence gone (read after the claim)──> skipped
 *     │                └──lease ran out (the attempt died)──claim (next attempt)──> claimed, possibleDuplicate
 *     └──skip──> skipped ──claim (the occurrence is due again: reopened)──> claimed
 *   retrying or a dead claim ──skip (completed, replanned, deleted, too late)──> skipped
 *   (none), retrying or a dead claim ──claim, an SMS inside quiet hours──> retrying, heldUntil
 *     (the reconciler hands it back at the window's end: overdue-occurrences.ts)
 *   claimed ──an SMS over the per-number hourly cap──> retrying, heldUntil the next UTC hour
 *     ──past the firm's maximum lateness──> skipped rate-limited
 *
 * `sent` and `failed` are final: nothing claims them again. What the provider reports later
 * (an SMS delivery receipt, an SES delivery or bounce event) is not a state but the
 * `receipt` beside it: a receipt may arrive before the `sent` record is written (the
 * provider answers the receipt URL faster than dispatch marks the send), so it is kept on a
 * `claimed` or `retrying` delivery too, and never moves the state; but not on one that ended
 * unsent (`skipped`, `failed`), where "delivered" would contradict the record. A claim that meets a live lease
 * loses and its invocation is retried later, when the holder has finished or died.
 */
export const DeliveryState = /* @__PURE__ */ schema(() => z.enum(['claimed', 'retrying', 'sent', 'skipped', 'failed']));
export type DeliveryState = z.infer<typeof DeliveryState>;

export type SkipReason =
  | 'task-deleted'
  | 'task-completed'
  /** The occurrence left the plan (a changed deadline or notice) while it was being retried. */
  | 'replanned'
  /** Later than the firm's maximum lateness: a notice due while Frist could not send. */
  | 'too-late'
  /** Kept for records written before `replanned`. */
  | 'stale'
  | 'no-address'
  | 'opted-out'
  | 'suppressed'
  /** The SMS-pumping guard: the number's country is not one the firm allows. */
  | 'country-not-allowed'
  /** The SMS-pumping guard: a cap was reached (the delivery's `code` names which: shared/domain/sms-limits.ts). */
  | 'rate-limited';

/** A delivery is per channel; `all` is one record for a whole occurrence whose notice was gone, as earlier versions wrote it. */
export const DeliveryChannel = /* @__PURE__ */ schema(() => z.enum([...Channel.options, 'all']));
export type DeliveryChannel = z.infer<typeof DeliveryChannel>;

/** Where the filed copy of a sent notice is (the archive). */
export const DocumentRef = /* @__PURE__ */ schema(() =>
  z.object({
    key: z.string(),
    contentType: z.enum(['message/rfc822', 'application/json']),
    size: z.int(),
  }),
);
export type DocumentRef = z.infer<typeof DocumentRef>;

/** What an SMS carried: filed as its document. */
export const SmsRecord = /* @__PURE__ */ schema(() =>
  z.object({
    sender: z.string(),
    recipient: z.string(),
    text: z.string(),
    encoding: SmsEncoding,
    segments: z.int(),
    providerId: z.string().optional(),
  }),
);
export type SmsRecord = z.infer<typeof SmsRecord>;

/**
 * What the provider reported after it accepted the message: `delivered` to the phone or the
 * mailbox, or `undelivered` with the operator's reason (personal data removed). `delivered`
 * is final: an `undelivered` arriving after it (a late retry of an earlier report) is ignored.
 */
export const Receipt = /* @__PURE__ */ schema(() =>
  z.object({
    status: z.enum(['delivered', 'undelivered']),
    /** When Frist received the report. */
    at: z.string(),
    /** The operator's reason for `undelivered`, redacted of phone numbers and e-mail addresses. */
    reason: z.string().optional(),
    /** The operator's error code for `undelivered`, as it sent it. */
    code: z.string().optional(),
  }),
);
export type Receipt = z.infer<typeof Receipt>;

export const Delivery = /* @__PURE__ */ schema(() =>
  z.object({
    id: z.string(),
    taskId: z.string(),
    noticeId: z.string(),
    customerId: z.string().optional(),
    /** The occurrence's UTC instant, as in the schedule's input. */
    occurrenceAt: z.string(),
    channel: DeliveryChannel,
    state: DeliveryState,
    /** Why it was skipped, failed or is being retried, in words (provider texts redacted). */
    reason: z.string().optional(),
    /** The same as a short stable code: `too-long`, `ses-throttled`, `timeout`, ... */
    code: z.string().optional(),
    /** Claims so far: each claim makes at most one provider call. */
    attempts: z.int(),
    claimedUntil: z.string().optional(),
    /** An SMS held by the firm's quiet hours (code `quiet-hours`) waits until this instant. */
    heldUntil: z.string().optional(),
    /** Names the attempt that holds the claim; its writes count only while it still does. */
    claimToken: z.string().optional(),
    /**
     * An earlier attempt may have reached the provider without our knowing (no answer came,
     * or it died after calling): the customer may have this notice twice.
     */
    possibleDuplicate: z.boolean().optional(),
    updatedAt: z.string(),
    sentAt: z.string().optional(),
    providerId: z.string().optional(),
    /** Set once the copy is filed in the document center. */
    document: DocumentRef.optional(),
    /**
     * The SMS caps' counters this delivery took a unit of (shared/use-cases/sms-allowance.ts),
     * so that a retry in the same hour or day does not take another.
     */
    smsCounted: z.array(z.string()).optional(),
    /** What an SMS carried, kept so a retry can file it exactly as sent. */
    sms: SmsRecord.optional(),
    /** The provider's report of the delivery (set only by the receipt writers, never by dispatch). */
    receipt: Receipt.optional(),
  }),
);
export type Delivery = z.infer<typeof Delivery>;

/** Every member of a delivery, in the schema's order, for the store's writes without building the schema (model.ts, TASK_STATUSES). */
export const DELIVERY_MEMBERS = [
  'id',
  'taskId',
  'noticeId',
  'customerId',
  'occurrenceAt',
  'channel',
  'state',
  'reason',
  'code',
  'attempts',
  'claimedUntil',
  'heldUntil',
  'claimToken',
  'possibleDuplicate',
  'updatedAt',
  'sentAt',
  'providerId',
  'document',
  'smsCounted',
  'sms',
  'receipt',
] as const satisfies readonly (keyof Delivery)[];

/**
 * `<taskId>-<noticeId>-<yyyymmddThhmmssZ>-<channel>`: readable, at most 59 characters, and
 * the same for every invocation of one occurrence, so it serves as the claim key and the
 * document id. (Before smsReference() it was also the SMS reference: Sveve keeps 36
 * characters of it, which is not unique.)
 */
export function deliveryId(taskId: string, noticeId: string, occurrenceAt: string, channel: DeliveryChannel): string {
  return `${taskId}-${noticeId}-${occurrenceAt.replace(/[-:]/g, '').slice(0, 16)}-${channel}`;
}
