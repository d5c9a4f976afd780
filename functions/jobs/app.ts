import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { JobMessageSchema } from '../../shared/api/job-message.schema.ts';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Telemetry } from '../../shared/composition.ts';
import type { Ports } from '../../shared/ports.ts';
import { runJobStep } from '../../shared/use-cases/job-steps.ts';
import { parseMessageBody } from '../sqs/message-body.ts';

/**
 * The jobs Lambda, fed by the jobs queue one message at a time: each message is one step of
 * a background job (shared/use-cases/job-steps.ts: a change of time zone, a template applied to many tasks), which sends the next step's
 * message itself. A step that fails is reported in `batchItemFailures`: SQS hands it out
 * again after the visibility timeout, and after `maxReceiveCount` receives moves it to the
 * dead-letter queue, whose alarm fires; the reconciler then hands the job's step out again.
 * A message that does not parse is a bug upstream and goes the same way. Logs carry ids and
 * counts only.
 */
export function createJobsHandler(ports: Ports, telemetry: Telemetry) {
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(telemetry.logger))
    .handler(async (event) => {
      const failed: string[] = [];
      for (const record of event.Records) if (!(await runStep(ports, record))) failed.push(record.messageId);
      return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
    });
}

/** True when the message is done with: its step taken, or found to be a late copy. */
async function runStep(ports: Ports, record: SQSRecord): Promise<boolean> {
  const receives = Number(record.attributes.ApproximateReceiveCount);
  const parsed = parseMessageBody(JobMessageSchema, record.body);
  if (!parsed.success) {
    ports.log.error('job message rejected', { messageId: record.messageId, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`) });
    return false;
  }
  try {
    ports.log.info('job step', { ...(await runJobStep(ports, parsed.data)), receives });
    return true;
  } catch (error) {
    ports.log.warn('job step failed; SQS hands it out again', { ...parsed.data, receives, error: (error as Error).message });
    return false;
  }
}
