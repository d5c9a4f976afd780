import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DependencyUnavailableError } from '../errors.ts';
import type { DispatchQueue } from '../ports.ts';

/** SendMessage's longest delay: 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/**
 * The dispatch queue on Amazon SQS, as dispatch sends to it: one SendMessage with the firm as
 * the message group (the fair queue's, as the schedules set it: scheduler.adapter.ts), on the
 * bounded client of sqs-job-queue.adapter.ts.
 */
export class SqsDispatchQueue implements DispatchQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(body: string, groupId: string, delaySeconds: number): Promise<void> {
    const DelaySeconds = Math.min(Math.max(Math.ceil(delaySeconds), 0), MAX_DELAY_SECONDS);
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body, MessageGroupId: groupId, DelaySeconds }));
    } catch (error) {
      throw new DependencyUnavailableError('the dispatch queue is unavailable; retry shortly', { cause: error });
    }
  }
}
