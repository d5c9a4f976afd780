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
 * Guide, "Amazon SQS fair queues", "How Amazon SQS fair queues work"): a group is a tenant, and a
 * tenant with more than 10 % of the queue's in-flight messages and at least 30 of its own in
 * flight is a noisy neighbour. A receive then returns the quiet tenants' visible messages first
 * (a message without a group is a tenant of its own), and among noisy tenants those with the
 * fewest in flight first; noisy tenants' messages are only returned when no quiet one waits.
 * AWS also flags a tenant by its share of recent processing time, which this stand-in does not:
 * it flags fewer tenants than AWS can, never more.
 */
export interface QueueOptions {
  name: string;
  clock: Clock;
  visibilityTimeoutSeconds: number;
  retentionSeconds: number;
  redrive?: { deadLetter: SqsQueue; maxReceiveCount: number };
  accountId?: string;
  region?: string;
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
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: { ApproximateReceiveCount: string; SentTimestamp: string; ApproximateFirstReceiveTimestamp: string; MessageGroupId?: string };
}

/** A tenant is a noisy neighbour above this share of the in-flight messages, with at least NOISY_MIN_IN_FLIGHT of its own. */
const NOISY_SHARE = 0.1;
const NOISY_MIN_IN_FLIGHT = 30;

export class SqsQueue {
  readonly arn: string;
  readonly url: string;
  private readonly messages: QueueMessage[] = [];

  constructor(readonly options: QueueOptions) {
    const region = options.region ?? 'eu-north-1';
    const account = options.accountId ?? '000000000000';
    this.arn = `arn:aws:sqs:${region}:${account}:${options.name}`;
    this.url = `https://sqs.${region}.amazonaws.com/${account}/${options.name}`;
  }

  send(body: string, delaySeconds = 0, groupId?: string): string {
    const now = this.options.clock.now().getTime();
    const message: QueueMessage = {
      messageId: randomUUID(),
      body,
      sentAt: now,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
      ...(groupId ? { groupId } : {}),
    };
    this.messages.push(message);
    return message.messageId;
  }

  /** Up to `max` visible messages, each now invisible for the visibility timeout. */
  receive(max: number): ReceivedMessage[] {
    const now = this.options.clock.now().getTime();
    this.dropExpired(now);
    const received: ReceivedMessage[] = [];
    for (const message of this.fairOrder(now)) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      const redrive = this.options.redrive;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        this.remove(message);
        redrive.deadLetter.adopt(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + this.options.visibilityTimeoutSeconds * 1000;
      message.receiptHandle = randomUUID();
      received.push({
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        body: message.body,
        attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
          ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
        },
      });
    }
    return received;
  }

  /** The messages in the order a receive considers them: quiet tenants' first, then noisy ones' by fewest in flight. */
  private fairOrder(now: number): QueueMessage[] {
    const inFlight = new Map<string, number>();
    let total = 0;
    for (const m of this.messages) {
      if (m.receiveCount === 0 || m.visibleAt <= now) continue;
      total += 1;
      if (m.groupId) inFlight.set(m.groupId, (inFlight.get(m.groupId) ?? 0) + 1);
    }
    const noisy = (m: QueueMessage) => {
      const own = m.groupId ? (inFlight.get(m.groupId) ?? 0) : 0;
      return own >= NOISY_MIN_IN_FLIGHT && own > total * NOISY_SHARE ? own : 0;
    };
    // A stable sort: within a rank, sending order.
    return [...this.messages].sort((a, b) => noisy(a) - noisy(b));
  }

  /** Deletes a message by the receipt handle of its latest receive; an older handle deletes nothing. */
  delete(receiptHandle: string): void {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (message) this.remove(message);
  }

  /** Messages in the queue, visible or not (a test's view, like ApproximateNumberOfMessages). */
  list(): readonly QueueMessage[] {
    this.dropExpired(this.options.clock.now().getTime());
    return this.messages;
  }

  /** When the next message becomes visible, if any waits. */
  nextVisibleAt(): number | undefined {
    const times = this.messages.map((m) => m.visibleAt);
    return times.length ? Math.min(...times) : undefined;
  }

  clear(): void {
    this.messages.length = 0;
  }

  /** A message moved here by a redrive policy keeps its id, body and sent time (as on AWS). */
  private adopt(message: QueueMessage): void {
    this.messages.push({ ...message, receiveCount: 0, visibleAt: this.options.clock.now().getTime(), receiptHandle: undefined });
  }

  private dropExpired(now: number): void {
    for (const message of [...this.messages]) {
      if (now - message.sentAt > this.options.retentionSeconds * 1000) this.remove(message);
    }
  }

  private remove(message: QueueMessage): void {
    this.messages.splice(this.messages.indexOf(message), 1);
  }
}
