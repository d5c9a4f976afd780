import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DispatchEventSchema } from '../../shared/api/dispatch-event.schema.ts';
import type { SendingPorts } from '../../shared/ports.ts';
import { dispatchNotice } from '../../shared/use-cases/dispatch-notice.ts';
import { parseMessageBody } from '../sqs/message-body.ts';

/**
 * The dispatch Lambda, fed by the dispatch queue (the Scheduler sends each fired schedule's
 * input there). Each message is one notice occurrence; the batch's messages run side by side,
 * and those that must come back later are reported in `batchItemFailures`: SQS makes them
 * visible again after the visibility timeout, and after `maxReceiveCount` receives moves
 * them to the dead-letter queue, where an alarm sees them.
 * A message that does not parse is a bug upstream: it is reported as failed, so it ends in
 * the dead-letter queue too. Logs carry ids and outcomes, never texts or addresses.
 */
export function createDispatchHandler(ports: SendingPorts) {
  return middy<SQSEvent, SQSBatchResponse, Error, Context>().handler(async (event) => {
    const results = await Promise.all(event.Records.map((record) => dispatchRecord(ports, record)));
    return { batchItemFailures: event.Records.filter((_, i) => !results[i]).map((r) => ({ itemIdentifier: r.messageId })) };
  });
}

/** True when the message is done with (sent, skipped, failed for good, or a replay). */
async function dispatchRecord(ports: SendingPorts, record: SQSRecord): Promise<boolean> {
  const parsed = parseMessageBody(DispatchEventSchema, record.body);
  if (!parsed.success) {
    ports.log.error('dispatch message rejected', { messageId: record.messageId, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`) });
    return false;
  }
  const event = parsed.data;
  const ids = { tenantId: event.tenantId, taskId: event.taskId, noticeId: event.noticeId, occurrenceAt: event.occurrenceAt };
  const receives = Number(record.attributes.ApproximateReceiveCount);
  try {
    const report = await dispatchNotice(ports, event);
    const done = !Object.values(report.outcomes).includes('retry');
    ports.log.info(done ? 'notice dispatched' : 'notice dispatch will be retried', { ...ids, ...report, receives });
    return done;
  } catch (error) {
    ports.log.warn('notice dispatch will be retried', { ...ids, receives, error: (error as Error).name });
    return false;
  }
}
