import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseDispatchEvent } from '../../shared/api/dispatch-event.schema.ts';
import type { Telemetry } from '../../shared/composition.ts';
import type { SendingPorts } from '../../shared/ports.ts';
import { batchReads, type BatchReads } from '../../shared/use-cases/batch-reads.ts';
import { dispatchNotice, type DispatchReport } from '../../shared/use-cases/dispatch-notice.ts';
import { countDispatch } from './dispatch-metrics.ts';
import { publishDispatchEvents } from './dispatch-events.ts';
import { requeueDeferred } from './pacing-requeue.ts';
import { bodyJson } from '../sqs/body-json.ts';

/**
 * The dispatch Lambda, fed by the dispatch queue (the Scheduler sends each fired schedule's
 * input there). Each message is one notice occurrence; the batch's messages run side by side,
 * and those that must come back later are reported in `batchItemFailures`: SQS makes them
 * visible again after the visibility timeout, and after `maxReceiveCount` receives moves
 * them to the dead-letter queue, where an alarm sees them; except a message only the send rate
 * keeps waiting, which from half its receives on is sent back as a new one (pacing-requeue.ts).
 * A message that does not parse is a bug upstream: it is reported as failed, so it ends in
 * the dead-letter queue too. Lambda stops the invocation at its timeout, whatever it is doing:
 * the time left then (the context's) bounds every send, so that a send waiting for the rate
 * that could not be over in time comes back as `send-rate` rather than be cut off mid-call.
 * Logs carry ids and outcomes, never texts or addresses; each
 * message's report is counted as metrics (dispatch-metrics.ts), flushed after the batch, and
 * its final outcomes are published to the firm's webhooks (dispatch-events.ts) after they
 * were recorded.
 */
export function createDispatchHandler(ports: SendingPorts, telemetry: Telemetry) {
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(telemetry.logger))
    .use(logMetrics(telemetry.metrics))
    .handler(async (event, context) => {
      // Wall-clock time, as the pacer's places are (send-pacing.ts).
      const deadline = Date.now() + context.getRemainingTimeInMillis();
      // The batch's notices read together: one call for all they ask at each step (batch-reads.ts).
      const batch = batchReads(ports, event.Records.length);
      const results = await Promise.all(event.Records.map((record) => dispatchRecord(ports, record, batch.notice(), deadline)));
      for (const report of results) if (report) countDispatch(ports.metrics, report);
      await publishDispatchEvents(ports, event.Records, results);
      // A notice the send rate alone has kept waiting for half its receives goes back as a new message (pacing-requeue.ts).
      const requeued = await Promise.all(event.Records.map(async (record, i) => !isDone(results[i]) && (await requeueDeferred(ports, record, results[i]))));
      return { batchItemFailures: event.Records.filter((_, i) => !isDone(results[i]) && !requeued[i]).map((r) => ({ itemIdentifier: r.messageId })) };
    });
}

/** Done with: sent, skipped, failed for good, or a replay; not a message that must come back. */
function isDone(report: DispatchReport | undefined): boolean {
  return report !== undefined && !Object.values(report.outcomes).includes('retry');
}

/** The message's report; undefined when it did not parse or dispatch threw (it comes back). */
async function dispatchRecord(
  ports: SendingPorts,
  record: SQSRecord,
  reads: BatchReads & { done(): void },
  deadline: number,
): Promise<DispatchReport | undefined> {
  try {
    return await dispatchParsed(ports, record, reads, deadline);
  } finally {
    // The batch's other notices no longer wait for this one's reads.
    reads.done();
  }
}

async function dispatchParsed(ports: SendingPorts, record: SQSRecord, reads: BatchReads, deadline: number): Promise<DispatchReport | undefined> {
  const parsed = parseDispatchEvent(bodyJson(record.body));
  if (!parsed.success) {
    ports.log.error('dispatch message rejected', { messageId: record.messageId, issues: parsed.issues.map((i) => `${i.path.join('.')}: ${i.code}`) });
    return undefined;
  }
  const event = parsed.data;
  const ids = { tenantId: event.tenantId, taskId: event.taskId, noticeId: event.noticeId, occurrenceAt: event.occurrenceAt };
  const receives = Number(record.attributes.ApproximateReceiveCount);
  try {
    const report = await dispatchNotice(ports, event, reads, deadline);
    ports.log.info(isDone(report) ? 'notice dispatched' : 'notice dispatch will be retried', { ...ids, ...report, receives });
    return report;
  } catch (error) {
    ports.log.warn('notice dispatch will be retried', { ...ids, receives, error: (error as Error).name });
    return undefined;
  }
}
