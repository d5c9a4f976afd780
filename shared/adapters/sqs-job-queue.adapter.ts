import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JobMessage } from '../api/job-message.schema.ts';
import { DependencyUnavailableError } from '../errors.ts';
import type { JobQueue } from '../job-ports.ts';

/**
 * The jobs queue on Amazon SQS: one SendMessage per step, the message the step's JSON. The
 * client's second attempt covers a throttle or a blip; what still fails is left to the
 * reconciler, which hands out the step of a job that stopped moving.
 */
export class SqsJobQueue implements JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: JobMessage): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
    } catch (error) {
      throw new DependencyUnavailableError('the jobs queue is unavailable; retry shortly', { cause: error });
    }
  }
}
