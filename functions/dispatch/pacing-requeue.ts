import type { SQSRecord } from 'aws-lambda';
import { parseDispatchEvent } from '../../shared/api/dispatch-event.schema.ts';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import type { SendingPorts } from '../../shared/ports.ts';
import type { DispatchReport } from '../../shared/use-cases/dispatch-notice.ts';
import { bodyJson } from '../sqs/body-json.ts';

/**
 * The codes of a send that waited for the rate and nothing else: the deployment's rate had no
 * place for it (send-pacing.ts), or the provider throttled it (SES's rate, the SMS gateway's 429).
 */
const PACING_CODES: ReadonlySet<string> = new Set(['send-rate', 'ses-throttled', 'sms-http-429']);

/** From this receive on, a message deferred by pacing alone is sent back afresh: half the receives SQS allows. */
export const REQUEUE_FROM_RECEIVE = DISPATCH_QUEUE.maxReceiveCount / 2;

/** A retry whose every channel that must come back waits only for the rate. */
export function deferredByPacingOnly(report: DispatchReport | undefined): boolean {
  if (!report) return false;
  const retried = Object.entries(report.outcomes).filter(([, outcome]) => outcome === 'retry');
  return (
    retried.length > 0 &&
    retried.every(([channel]) => {
      const detail = report.details?.[channel as keyof typeof report.outcomes];
      return detail !== undefined && 'code' in detail && PACING_CODES.has(detail.code);
    })
  );
}

/**
 * Sends a message that the rate alone has kept waiting back to the dispatch queue as a new
 * message, so that its receives start again: every receive counts toward `maxReceiveCount`, and
 * a burst longer than 160 receives (8 h) would move a notice to the dead-letter queue, and fire
 * its alarm, though nothing failed but the wait (throttling is pacing, never a failure). True
 * when the copy was queued: the message is then done with; false leaves it to come back as any
 * retry (nothing is lost when SendMessage fails).
 *
 * Only from half the receives on: below that the queue's own retry is the same wait for free,
 * and a copy at every deferral would cost a SendMessage every three minutes per waiting notice
 * in an ordinary burst. The copy has the same body and the firm as its group (as the schedules
 * set it), delayed as the queue's retry would be. A crash between the SendMessage and the
 * batch's answer leaves two copies: the delivery's claim lets only one send. The firm's
 * maximum lateness (`too-late`) still ends the wait, as for any retry.
 */
export async function requeueDeferred(ports: SendingPorts, record: SQSRecord, report: DispatchReport | undefined): Promise<boolean> {
  const queue = ports.dispatchQueue;
  if (!queue || !deferredByPacingOnly(report) || Number(record.attributes.ApproximateReceiveCount) < REQUEUE_FROM_RECEIVE) return false;
  const parsed = parseDispatchEvent(bodyJson(record.body));
  if (!parsed.success) return false;
  try {
    await queue.send(record.body, parsed.data.tenantId, DISPATCH_QUEUE.visibilityTimeoutSeconds);
    ports.log.info('notice deferred by the send rate sent back to the queue', {
      messageId: record.messageId,
      receives: record.attributes.ApproximateReceiveCount,
    });
    return true;
  } catch (error) {
    ports.log.warn('notice deferred by the send rate could not be sent back; it is retried', { messageId: record.messageId, error: (error as Error).name });
    return false;
  }
}
