import { SendMessageCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { JobMessage } from '../api/job-message.schema.ts';
import { DependencyUnavailableError } from '../errors.ts';
import type { JobQueue } from '../job-ports.ts';

/** SQS accepts a connection within this long, and answers a SendMessage within the next. */
const CONNECTION_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;

/**
 * The SQS client for job steps: bounded, because PUT /settings sends the first step before it
 * answers. Two attempts of at most about three seconds each; a send given up on is left to
 * the reconciler, and one that SQS carried out after all is a copy the jobs function ignores.
 */
export function createSqsClient(options: SQSClientConfig): SQSClient {
  return new SQSClient({
    ...options,
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Without it the request timeout only logs a warning and the call waits on.
      throwOnRequestTimeout: true,
    }),
  });
}

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
