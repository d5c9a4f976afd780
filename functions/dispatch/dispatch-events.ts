import type { SQSRecord } from 'aws-lambda';
import { parseDispatchEvent } from '../../shared/api/dispatch-event.schema.ts';
import { deliveryId } from '../../shared/domain/delivery.ts';
import type { Channel } from '../../shared/domain/model.ts';
import type { WebhookEventType } from '../../shared/domain/webhook.ts';
import type { SendingPorts } from '../../shared/ports.ts';
import type { ChannelOutcome, DispatchReport } from '../../shared/use-cases/dispatch-notice.ts';
import { publishEvents, type EventOf } from '../../shared/use-cases/webhook-events.ts';
import { bodyJson } from '../sqs/body-json.ts';

const EVENT_OF: Partial<Record<ChannelOutcome, WebhookEventType>> = { sent: 'notice.sent', failed: 'notice.failed', skipped: 'notice.skipped' };

/**
 * Publishes a webhook event for each channel whose record this dispatch made final: sent,
 * failed or skipped; all of a batch's events together (SendMessageBatch, 10 a call). A replay
 * (`duplicate`), a retry and a hold publish nothing: the run that makes the record final
 * does. The data are ids and codes: the task, notice, occurrence, channel and delivery, and
 * the skip reason or failure code.
 */
export async function publishDispatchEvents(ports: SendingPorts, records: SQSRecord[], reports: (DispatchReport | undefined)[]): Promise<void> {
  await publishEvents(
    ports,
    records.flatMap((record, i) => eventsOf(record, reports[i])),
  );
}

/** The events of one message's report. */
function eventsOf(record: SQSRecord, report: DispatchReport | undefined): EventOf[] {
  if (!report) return [];
  const parsed = parseDispatchEvent(bodyJson(record.body));
  if (!parsed.success) return [];
  const { tenantId, taskId, noticeId, occurrenceAt } = parsed.data;
  return (Object.entries(report.outcomes) as [Channel, ChannelOutcome][]).flatMap(([channel, outcome]) => {
    const type = EVENT_OF[outcome];
    if (!type) return [];
    const detail = report.details?.[channel];
    const data = {
      taskId,
      noticeId,
      occurrenceAt,
      channel,
      deliveryId: deliveryId(taskId, noticeId, occurrenceAt, channel),
      ...(detail && 'reason' in detail ? { reason: detail.reason } : {}),
      ...(detail && 'code' in detail ? { code: detail.code } : {}),
    };
    return [{ tenantId, type, data }];
  });
}
