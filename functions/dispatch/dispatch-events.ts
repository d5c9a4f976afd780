import type { SQSRecord } from 'aws-lambda';
import { DispatchEventSchema } from '../../shared/api/dispatch-event.schema.ts';
import { deliveryId } from '../../shared/domain/delivery.ts';
import type { Channel } from '../../shared/domain/model.ts';
import type { WebhookEventType } from '../../shared/domain/webhook.ts';
import type { SendingPorts } from '../../shared/ports.ts';
import type { ChannelOutcome, DispatchReport } from '../../shared/use-cases/dispatch-notice.ts';
import { publishEvent } from '../../shared/use-cases/webhook-events.ts';
import { parseMessageBody } from '../sqs/message-body.ts';

const EVENT_OF: Partial<Record<ChannelOutcome, WebhookEventType>> = { sent: 'notice.sent', failed: 'notice.failed', skipped: 'notice.skipped' };

/**
 * Publishes a webhook event for each channel whose record this dispatch made final: sent,
 * failed or skipped. A replay (`duplicate`), a retry and a hold publish nothing: the run that
 * makes the record final does. The data are ids and codes: the task, notice, occurrence,
 * channel and delivery, and the skip reason or failure code.
 */
export async function publishDispatchEvents(ports: SendingPorts, record: SQSRecord, report: DispatchReport | undefined): Promise<void> {
  if (!report) return;
  const parsed = parseMessageBody(DispatchEventSchema, record.body);
  if (!parsed.success) return;
  const { tenantId, taskId, noticeId, occurrenceAt } = parsed.data;
  for (const [channel, outcome] of Object.entries(report.outcomes) as [Channel, ChannelOutcome][]) {
    const type = EVENT_OF[outcome];
    if (!type) continue;
    const detail = report.details?.[channel];
    await publishEvent(ports, tenantId, type, {
      taskId,
      noticeId,
      occurrenceAt,
      channel,
      deliveryId: deliveryId(taskId, noticeId, occurrenceAt, channel),
      ...(detail && 'reason' in detail ? { reason: detail.reason } : {}),
      ...(detail && 'code' in detail ? { code: detail.code } : {}),
    });
  }
}
