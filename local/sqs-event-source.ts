import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext, withinTimeout } from './lambda-context.ts';
import type { SqsQueue } from './sqs-queue.ts';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface SqsInvocation {
  messageIds: string[];
  /** Messages the function reported as failed (or all of them, when it threw). */
  failed: string[];
  error?: string;
}

/**
 * A stand-in for a Lambda event source mapping on an SQS queue, with
 * `ReportBatchItemFailures` (AWS Lambda Developer Guide: "Using Lambda with Amazon SQS",
 * "Handling errors for an SQS event source"):
 * - it receives up to `batchSize` messages and invokes the function with them, at most
 *   `maxConcurrency` invocations at once;
 * - when the function returns, every message is deleted except those named in
 *   `batchItemFailures`; a response naming a message that was not in the batch fails the
 *   whole batch;
 * - the function's context counts its remaining time down from `timeoutMs` (the function's timeout);
 * - when the function throws, or has not returned within `timeoutMs`,
 *   no message is deleted: all come back after the queue's visibility timeout, and the queue's
 *   redrive policy counts each receive, whatever the invocation had done meanwhile.
 * Lambda stops a function at its timeout; here its code cannot be stopped and runs on unseen, so
 * a test that needs it stopped makes its calls hang past the timeout (as a frozen one's do).
 * Tests drain the queue with runDue(); `npm start` polls each second.
 */
export class SqsEventSource {
  readonly invocations: SqsInvocation[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly options: { queue: SqsQueue; handler: SqsHandler; batchSize: number; maxConcurrency: number; timeoutMs: number }) {}

  /** Delivers every visible message; concurrent calls share one run. */
  runDue(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  pollEvery(ms: number): void {
    this.timer = setInterval(() => void this.runDue(), ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    const { queue, batchSize, maxConcurrency } = this.options;
    const worker = async () => {
      for (let batch = queue.receive(batchSize); batch.length; batch = queue.receive(batchSize)) {
        await this.invoke(batch);
      }
    };
    await Promise.all(Array.from({ length: maxConcurrency }, worker));
  }

  private async invoke(batch: ReturnType<SqsQueue['receive']>): Promise<void> {
    const { queue, handler } = this.options;
    const event: SQSEvent = {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: { ...m.attributes, SenderId: 'scheduler.amazonaws.com' },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(m.body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: queue.arn,
        awsRegion: queue.arn.split(':')[3]!,
      })),
    };
    const ids = batch.map((m) => m.messageId);
    let failed: string[];
    let error: string | undefined;
    try {
      const context = lambdaContext(`${queue.arn.split(':').pop()}-function`, randomUUID(), this.options.timeoutMs);
      const response = await withinTimeout(handler(event, context), this.options.timeoutMs);
      failed = (response?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
      if (failed.some((id) => !ids.includes(id))) {
        error = 'the response named a message that was not in the batch';
        failed = ids;
      }
    } catch (thrown) {
      failed = ids;
      error = thrown instanceof Error ? thrown.message : String(thrown);
    }
    for (const message of batch) if (!failed.includes(message.messageId)) queue.delete(message.receiptHandle);
    this.invocations.push({ messageIds: ids, failed, ...(error ? { error } : {}) });
  }
}
