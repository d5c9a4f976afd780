import type { Channel } from './model.ts';

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
 *
 * `sent` and `failed` are final: nothing claims them again. A claim that meets a live lease
 * loses and its invocation is retried later, when the holder has finished or died.
 */
export type DeliveryState = 'claimed' | 'retrying' | 'sent' | 'failed' | 'skipped';

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
  | 'suppressed';

export interface Delivery {
  id: string;
  taskId: string;
  noticeId: string;
  customerId?: string;
  /** The occurrence's UTC instant, as in the schedule's input. */
  occurrenceAt: string;
  channel: Channel | 'all';
  state: DeliveryState;
  /** Why it was skipped, failed or is being retried, in words (provider texts redacted). */
  reason?: string;
  /** The same as a short stable code: `too-long`, `ses-throttled`, `timeout`, ... */
  code?: string;
  /** Claims so far: each claim makes at most one provider call. */
  attempts: number;
  claimedUntil?: string;
  /** Names the attempt that holds the claim; its writes count only while it still does. */
  claimToken?: string;
  /**
   * An earlier attempt may have reached the provider without our knowing (no answer came,
   * or it died after calling): the customer may have this notice twice.
   */
  possibleDuplicate?: boolean;
  updatedAt: string;
  sentAt?: string;
  providerId?: string;
  /** Set once the copy is filed in the document center. */
  document?: DocumentRef;
  /** What an SMS carried, kept so a retry can file it exactly as sent. */
  sms?: SmsRecord;
}

export interface DocumentRef {
  key: string;
  contentType: 'message/rfc822' | 'application/json';
  size: number;
}

export interface SmsRecord {
  sender: string;
  recipient: string;
  text: string;
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  providerId?: string;
}

/**
 * `<taskId>-<noticeId>-<yyyymmddThhmmssZ>-<channel>`: readable, at most 59 characters, and
 * the same for every invocation of one occurrence, so it serves as the claim key, the SMS
 * reference and the document id.
 */
export function deliveryId(taskId: string, noticeId: string, occurrenceAt: string, channel: Channel | 'all'): string {
  return `${taskId}-${noticeId}-${occurrenceAt.replace(/[-:]/g, '').slice(0, 16)}-${channel}`;
}
