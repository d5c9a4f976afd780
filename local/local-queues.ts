import { SQS_SEND_MESSAGE_TARGET } from '../shared/adapters/scheduler.adapter.ts';
import { DISPATCH_QUEUE } from '../shared/dispatch-queue.ts';
import { JOBS_QUEUE } from '../shared/jobs-queue.ts';
import { WEBHOOKS_QUEUE } from '../shared/webhooks-queue.ts';
import type { Clock } from '../shared/ports.ts';
import { SqsEmulator } from './sqs-emulator.ts';
import { SqsQueue } from './sqs-queue.ts';
import type { TargetInvoker } from './scheduler-emulator.ts';

export interface LocalQueues {
  /** The Scheduler sends each fired schedule here; dispatch reads it. */
  dispatchQueue: SqsQueue;
  /** The api, the reconciler and the jobs function send job steps here; the jobs function reads it. */
  jobsQueue: SqsQueue;
  /** Every function that publishes a webhook event sends here, and the webhooks function its next attempts; the webhooks function reads it. */
  webhooksQueue: SqsQueue;
  /** Where the queues queues move a message that failed its last receive (the stack's one dead-letter queue on AWS). */
  deadLetters: SqsQueue;
  /** The SQS API in front of them, for the functions' SQS clients. */
  sqs: SqsEmulator;
  sqsEndpoint: string;
}

/** Frist's queues, in process and with the settings of shared/dispatch-queue.ts, jobs-queue.ts and webhooks-queue.ts. */
export async function startLocalQueues(clock: Clock): Promise<LocalQueues> {
  const deadLetters = new SqsQueue({
    name: 'frist-dispatch-dlq-local',
    clock,
    visibilityTimeoutSeconds: 30,
    retentionSeconds: DISPATCH_QUEUE.retentionSeconds,
  });
  // Each queue as its settings module describes it, redriving to the one dead-letter queue.
  const redriven = (name: string, settings: typeof DISPATCH_QUEUE | typeof JOBS_QUEUE | typeof WEBHOOKS_QUEUE) =>
    new SqsQueue({
      name,
      clock,
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      retentionSeconds: settings.retentionSeconds,
      redrive: { deadLetter: deadLetters, maxReceiveCount: settings.maxReceiveCount },
    });
  const dispatchQueue = redriven('frist-dispatch-local', DISPATCH_QUEUE);
  const jobsQueue = redriven('frist-jobs-local', JOBS_QUEUE);
  const webhooksQueue = redriven('frist-webhooks-local', WEBHOOKS_QUEUE);
  const sqs = new SqsEmulator([dispatchQueue, jobsQueue, webhooksQueue, deadLetters]);
  return { dispatchQueue, jobsQueue, webhooksQueue, deadLetters, sqs, sqsEndpoint: await sqs.start() };
}

/**
 * A fired schedule's hand-over to `queue`: the templated SQS target (the input is the body), or
 * the universal `sqs:sendMessage` target (the input is SendMessage's parameters). Either is a
 * SendMessage call, so it goes through the SQS stand-in's checks: what SQS would refuse (a body
 * too long or of characters it does not take, a bad MessageGroupId) fails the invocation, which
 * the Scheduler retries and then sends to its dead-letter queue, instead of being queued.
 */
export function schedulerSendsTo(sqs: SqsEmulator, queue: SqsQueue): TargetInvoker {
  return async (arn, input) => {
    if (arn === queue.arn) return void sqs.sendMessage({ QueueUrl: queue.url, MessageBody: JSON.stringify(input) });
    const request = input as { QueueUrl?: string; MessageBody?: string; MessageGroupId?: string };
    if (arn !== SQS_SEND_MESSAGE_TARGET || request.QueueUrl !== queue.url || typeof request.MessageBody !== 'string') {
      throw new Error(`no local target ${arn}`);
    }
    sqs.sendMessage({ QueueUrl: request.QueueUrl, MessageBody: request.MessageBody, MessageGroupId: request.MessageGroupId });
  };
}
