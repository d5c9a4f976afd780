import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { WebhookMessage } from '../api/webhook-message.schema.ts';
import { DependencyUnavailableError } from '../errors.ts';
import type { WebhookQueue } from '../webhook-ports.ts';
import { WEBHOOKS_QUEUE } from '../webhooks-queue.ts';

/**
 * The webhooks queue on Amazon SQS: one SendMessage per event or attempt, with the bounded
 * client of sqs-job-queue.adapter.ts (two tries of about three seconds at most), so that a
 * dispatch publishing its event is never held long by an SQS outage.
 */
export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: WebhookMessage, delaySeconds = 0): Promise<void> {
    const DelaySeconds = Math.min(Math.max(Math.ceil(delaySeconds), 0), WEBHOOKS_QUEUE.maxDelaySeconds);
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message), DelaySeconds }));
    } catch (error) {
      throw new DependencyUnavailableError('the webhooks queue is unavailable; retry shortly', { cause: error });
    }
  }
}
