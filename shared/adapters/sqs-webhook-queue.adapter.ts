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

  async sendBatch(messages: WebhookMessage[]): Promise<boolean[]> {
    const calls = [];
    for (let at = 0; at < messages.length; at += BATCH_ENTRIES) calls.push(this.sendChunk(messages.slice(at, at + BATCH_ENTRIES)));
    return (await Promise.all(calls)).flat();
  }

  /** One SendMessageBatch; an entry in its `Failed` list was not queued. */
  private async sendChunk(messages: WebhookMessage[]): Promise<boolean[]> {
    const Entries = messages.map((message, i) => ({ Id: String(i), MessageBody: JSON.stringify(message) }));
    const result = await unavailableOnFailure(this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries })));
    const failed = new Set((result.Failed ?? []).map((entry) => entry.Id));
    return Entries.map((entry) => !failed.has(entry.Id));
  }
}

async function unavailableOnFailure<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw new DependencyUnavailableError('the webhooks queue is unavailable; retry shortly', { cause: error });
  }
}
