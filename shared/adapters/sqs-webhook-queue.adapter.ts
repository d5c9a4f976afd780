import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookMessage } from '../api/webhook-message.schema.ts';
import { DependencyUnavailableError } from '../errors.ts';
import type { WebhookQueue } from '../webhook-ports.ts';
import { WEBHOOKS_QUEUE } from '../webhooks-queue.ts';

/** SendMessageBatch takes at most 10 entries (their bodies at most 1 MiB in all; an event is well under 1 KB). */
const BATCH_ENTRIES = 10;

/**
 * The webhooks queue on Amazon SQS: one SendMessage per event or attempt, or one
 * SendMessageBatch for up to 10 events (a dispatch batch's), with the bounded client of
 * sqs-job-queue.adapter.ts (two tries of about three seconds at most), so that a dispatch
 * publishing its events is never held long by an SQS outage.
 */
export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: WebhookMessage, delaySeconds = 0): Promise<void> {
    const DelaySeconds = Math.min(Math.max(Math.ceil(delaySeconds), 0), WEBHOOKS_QUEUE.maxDelaySeconds);
    await unavailableOnFailure(this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message), DelaySeconds })));
  }

  /**
   * A call that failed as a whole loses its own events only, unless every call failed: then
   * the queue is unavailable, as for send.
   */
  async sendBatch(messages: WebhookMessage[]): Promise<boolean[]> {
    const calls = [];
    for (let at = 0; at < messages.length; at += BATCH_ENTRIES) calls.push(this.sendChunk(messages.slice(at, at + BATCH_ENTRIES)));
    const settled = await Promise.allSettled(calls);
    const failed = settled.find((call) => call.status === 'rejected');
    if (failed && settled.every((call) => call.status === 'rejected')) throw failed.reason;
    return settled.flatMap((call, i) =>
      call.status === 'fulfilled' ? call.value : messages.slice(i * BATCH_ENTRIES, (i + 1) * BATCH_ENTRIES).map(() => false),
    );
  }

  /**
   * One SendMessageBatch; an entry in its `Failed` list was not queued. The SDK retries a
   * call, never an entry: those SQS failed on its side (`SenderFault: false`) are sent once
   * more, as a SendMessage would be; a refusal of the sender's (too big) would be again.
   */
  private async sendChunk(messages: WebhookMessage[], tries = 2): Promise<boolean[]> {
    const Entries = messages.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) }));
    const result = await unavailableOnFailure(this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries })));
    const failed = new Map((result.Failed ?? []).map((entry) => [Number(entry.Id), entry.SenderFault === false]));
    const again = messages.filter((_, i) => failed.get(i));
    const resent = tries > 1 && again.length ? await this.sendChunk(again, tries - 1).catch(() => again.map(() => false)) : [];
    return messages.map((_, i) => !failed.has(i) || (failed.get(i) === true && resent.shift() === true));
  }
}

async function unavailableOnFailure<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw new DependencyUnavailableError('the webhooks queue is unavailable; retry shortly', { cause: error });
  }
}
