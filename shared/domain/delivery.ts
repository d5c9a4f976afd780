import type { Channel } from './model.ts';

/**
 * One delivery: the effect of one (task, notice, occurrence, channel). Its record is the
 * claim that makes dispatch idempotent, and, once sent, the index entry of its document.
 *
 *   (none) ──claim──> claimed ──sent──> sent ──filed──> sent + document   (SMS: filed after)
 *     │                │  └──permanent error──> failed
 *     │                └──transient error──> retrying ──claim (next attempt)──> claimed
 *     │                                              └──skip (task completed meanwhile)──> skipped
 *     └──skip──> skipped ──claim (the occurrence is due again)──> claimed
 *   claimed whose lease ran out (a crashed attempt) ──claim──> claimed
 *
 * `sent` and `failed` are final: nothing claims them again.
 */
export type DeliveryState = 'claimed' | 'retrying' | 'sent' | 'failed' | 'skipped';

export type SkipReason =
  | 'task-deleted'
  | 'task-completed'
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
  reason?: string;
  attempts: number;
  claimedUntil?: string;
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
