import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/ports.ts';

/**
 * A stand-in for one standard SQS queue, in process: what the Scheduler's SendMessage target
 * and Lambda's event source mapping do with it on AWS, by the injectable clock.
 *
 * The semantics it keeps (Amazon SQS Developer Guide: "Amazon SQS visibility timeout",
 * "Using dead-letter queues in Amazon SQS", "Amazon SQS message quotas"):
 * - a received message is invisible for the visibility timeout, then visible again unless it
 *   was deleted; each receive counts, and gets a new receipt handle (an old one deletes nothing);
 * - with a redrive policy, a message that was received `maxReceiveCount` times moves to the
 *   dead-letter queue on its next receive instead of being delivered;
 * - a message older than the retention period is dropped, delivered or not;
 * - `DelaySeconds` keeps a new message invisible for that long.
 * Standard queues deliver at least once and in no particular order; this one keeps sending
 * order, and tests make duplicates themselves.
 *
 * A message sent with a `MessageGroupId` makes the queue a fair queue (Amazon SQS Developer
 * Guide, "Amazon SQS fair queues", "How Amazon SQS fair queues work"): a group is a tenant. A
 * tenant is a noisy neighbour when it has more than 10 % of the queue's in-flight messages and
 * at least 30 of its own in flight (the concurrency share), or more than 10 % of the consumers'
 * recent processing time (the processing-time share: from a receive to the delete, over the
 * last minute, and what its in-flight messages have taken so far). A receive returns the quiet
 * tenants' visible messages first (a message without a group is a tenant of its own, never
 * noisy), in sending order, and among noisy tenants those with the fewest in flight first;
 * noisy tenants' messages are only returned when no quiet one waits. Processing time is real
 * time (the consumers' work), not the injectable clock; the stand-in counts it only once the
 * last minute holds a second of it, so a test whose handlers return at once keeps sending order
 * (AWS gives no threshold; its figures are approximate).
 */
export interface QueueOptions {
  name: string;
  clock: Clock;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  redrive?: { deadLetter: SqsQueue; maxReceiveCount: number };
  accountId?: string;
  region?: string;
  /** Real milliseconds, for the consumers' processing time; performance.now unless a test says otherwise. */
  workClock?: () => number;
}

export interface QueueMessage {
  messageId: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  visibleAt: number;
  receiptHandle?: string;
  firstReceivedAt?: number;
  groupId?: string;
  /** Sending order (a message moved in by a redrive comes after those already here). */
  seq: number;
  /** When the latest receive handed it out, in real milliseconds (performance.now). */
  receivedAtMs?: number;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: { ApproximateReceiveCount: string; SentTimestamp: string; ApproximateFirstReceiveTimestamp: string; MessageGroupId?: string };
}

/** A tenant is noisy above this share of the in-flight messages (with at least NOISY_MIN_IN_FLIGHT of its own) or of the recent processing time. */
const NOISY_SHARE = 0.1;
const NOISY_MIN_IN_FLIGHT = 30;
/** "Recent" processing time, and how much of it there must be before its shares count. */
const WORK_WINDOW_MS = 60_000;
const WORK_MIN_MS = 1_000;
/** Messages without a group, each a tenant of its own, kept in one list. */
const UNGROUPED = '';

export class SqsQueue {
  readonly arn: string;
  readonly url: string;
  /** Every message by id, and the same messages per group, each in sending order. */
  private readonly messages = new Map<string, QueueMessage>();
  private readonly groups = new Map<string, Map<string, QueueMessage>>();
  private readonly byReceipt = new Map<string, QueueMessage>();
  private readonly work: WorkShares;
  private seq = 0;
  private expiryCheckedAt = -Infinity;

  constructor(readonly options: QueueOptions) {
    const region = options.region ?? 'eu-north-1';
    const account = options.accountId ?? '000000000000';
    this.arn = `arn:aws:sqs:${region}:${account}:${options.name}`;
    this.url = `https://sqs.${region}.amazonaws.com/${account}/${options.name}`;
    this.work = new WorkShares(options.workClock ?? (() => performance.now()));
  }

  send(body: string, delaySeconds = 0, groupId?: string): string {
    const now = this.options.clock.now().getTime();
    const messageId = randomUUID();
    this.add({ messageId, body, sentAt: now, receiveCount: 0, visibleAt: now + delaySeconds * 1000, ...(groupId ? { groupId } : {}), seq: 0 });
    return messageId;
  }

  /** Up to `max` visible messages, each now invisible for the visibility timeout. */
  receive(max: number): ReceivedMessage[] {
    const now = this.options.clock.now().getTime();
    this.dropExpired(now);
    const received: ReceivedMessage[] = [];
    for (let next = this.fairPick(max, now); next.length && received.length < max; next = this.fairPick(max - received.length, now)) {
      for (const message of next) {
        const redrive = this.options.redrive;
        if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
          this.remove(message);
          redrive.deadLetter.adopt(message);
          continue;
        }
        received.push(this.handOut(message, now));
      }
    }
    return received;
  }

  /** Deletes a message by the receipt handle of its latest receive; an older handle deletes nothing. */
  delete(receiptHandle: string): void {
    const message = this.byReceipt.get(receiptHandle);
    if (!message) return;
    if (message.receivedAtMs !== undefined) this.work.ended(message.groupId ?? UNGROUPED, message.receivedAtMs);
    this.remove(message);
  }

  /** Messages in the queue, visible or not (a test's view, like ApproximateNumberOfMessages). */
  list(): readonly QueueMessage[] {
    this.dropExpired(this.options.clock.now().getTime(), true);
    return [...this.messages.values()];
  }

  /** When the next message becomes visible, if any waits. */
  nextVisibleAt(): number | undefined {
    let soonest: number | undefined;
    for (const m of this.messages.values()) if (soonest === undefined || m.visibleAt < soonest) soonest = m.visibleAt;
    return soonest;
  }

  clear(): void {
    this.messages.clear();
    this.groups.clear();
    this.byReceipt.clear();
  }

  /** A message moved here by a redrive policy keeps its id, body and sent time (as on AWS). */
  private adopt(message: QueueMessage): void {
    const { receiptHandle: _handle, receivedAtMs: _at, ...kept } = message;
    this.add({ ...kept, receiveCount: 0, visibleAt: this.options.clock.now().getTime() });
  }

  private add(message: QueueMessage): void {
    message.seq = this.seq++;
    this.messages.set(message.messageId, message);
    const group = message.groupId ?? UNGROUPED;
    const members = this.groups.get(group) ?? new Map<string, QueueMessage>();
    members.set(message.messageId, message);
    this.groups.set(group, members);
  }

  private handOut(message: QueueMessage, now: number): ReceivedMessage {
    if (message.receiptHandle) this.byReceipt.delete(message.receiptHandle);
    message.receiveCount += 1;
    message.firstReceivedAt ??= now;
    message.visibleAt = now + this.options.visibilityTimeoutSeconds * 1000;
    message.receiptHandle = randomUUID();
    message.receivedAtMs = this.work.now();
    this.byReceipt.set(message.receiptHandle, message);
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
        ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
      },
    };
  }

  /**
   * The next `max` visible messages in the order a receive considers them: quiet tenants'
   * first in sending order, then noisy ones', fewest in flight first.
   */
  private fairPick(max: number, now: number): QueueMessage[] {
    const inFlight = this.inFlight(now);
    const noisy = this.noisyTenants(inFlight, now);
    const quiet = [...this.groups].filter(([group]) => !noisy.has(group)).flatMap(([, members]) => visibleHead(members, max, now));
    const picked = quiet.sort((a, b) => a.seq - b.seq).slice(0, max);
    if (picked.length === max) return picked;
    const loud = [...noisy].flatMap((group) => visibleHead(this.groups.get(group) ?? new Map<string, QueueMessage>(), max, now));
    const fewest = (m: QueueMessage) => inFlight.byTenant.get(m.groupId!) ?? 0;
    return [...picked, ...loud.sort((a, b) => fewest(a) - fewest(b) || a.seq - b.seq).slice(0, max - picked.length)];
  }

  /** Messages received and not yet visible again, in all and per group, with how long they have taken so far. */
  private inFlight(now: number): { total: number; byTenant: Map<string, number> } {
    const byTenant = new Map<string, number>();
    let total = 0;
    for (const message of this.byReceipt.values()) {
      if (message.visibleAt <= now) continue;
      total += 1;
      if (message.groupId) byTenant.set(message.groupId, (byTenant.get(message.groupId) ?? 0) + 1);
    }
    return { total, byTenant };
  }

  private noisyTenants(inFlight: { total: number; byTenant: Map<string, number> }, now: number): Set<string> {
    const noisy = new Set<string>();
    for (const [group, own] of inFlight.byTenant) if (own >= NOISY_MIN_IN_FLIGHT && own > inFlight.total * NOISY_SHARE) noisy.add(group);
    const pending = [...this.byReceipt.values()].filter((m) => m.groupId && m.visibleAt > now && m.receivedAtMs !== undefined);
    for (const group of this.work.aboveShare(
      pending.map((m) => ({ tenant: m.groupId!, since: m.receivedAtMs! })),
      NOISY_SHARE,
    ))
      noisy.add(group);
    return noisy;
  }

  /** Drops the messages past the retention period; a full look at most once a second of the clock unless `now` is asked. */
  private dropExpired(now: number, always = false): void {
    if (!always && now - this.expiryCheckedAt < 1000) return;
    this.expiryCheckedAt = now;
    for (const message of [...this.messages.values()]) {
      if (now - message.sentAt > this.options.retentionSeconds * 1000) this.remove(message);
    }
  }

  private remove(message: QueueMessage): void {
    this.messages.delete(message.messageId);
    this.groups.get(message.groupId ?? UNGROUPED)?.delete(message.messageId);
    if (message.receiptHandle) this.byReceipt.delete(message.receiptHandle);
  }
}

/** Up to `max` of a group's visible messages, from the oldest. */
function visibleHead(members: Map<string, QueueMessage>, max: number, now: number): QueueMessage[] {
  const head: QueueMessage[] = [];
  for (const message of members.values()) {
    if (head.length >= max) break;
    if (message.visibleAt <= now) head.push(message);
  }
  return head;
}

/** The consumers' processing time per tenant over the last WORK_WINDOW_MS, in real milliseconds. */
class WorkShares {
  private readonly spans: { endedAt: number; tenant: string; ms: number }[] = [];
  private readonly sums = new Map<string, number>();

  constructor(readonly now: () => number) {}

  /** A message of `tenant` received at `since` was deleted now. */
  ended(tenant: string, since: number): void {
    if (tenant === UNGROUPED) return;
    const at = this.now();
    this.spans.push({ endedAt: at, tenant, ms: at - since });
    this.sums.set(tenant, (this.sums.get(tenant) ?? 0) + at - since);
  }

  /** The tenants with more than `share` of the recent processing time, counting what `pending` messages have taken so far. */
  aboveShare(pending: { tenant: string; since: number }[], share: number): string[] {
    const at = this.now();
    while (this.spans.length && this.spans[0]!.endedAt < at - WORK_WINDOW_MS) {
      const old = this.spans.shift()!;
      this.sums.set(old.tenant, this.sums.get(old.tenant)! - old.ms);
    }
    const totals = new Map(this.sums);
    for (const { tenant, since } of pending) totals.set(tenant, (totals.get(tenant) ?? 0) + at - since);
    const all = [...totals.values()].reduce((sum, ms) => sum + ms, 0);
    if (all < WORK_MIN_MS) return [];
    return [...totals].filter(([, ms]) => ms > all * share).map(([tenant]) => tenant);
  }
}
