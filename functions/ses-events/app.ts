import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { SesEventSchema, SnsEventSchema } from '../../shared/api/ses-event.schema.ts';
import type { Telemetry } from '../../shared/composition.ts';
import type { Ports } from '../../shared/ports.ts';
import { suppressEmail } from '../../shared/use-cases/customers.ts';
import { recordEmailReceipt } from '../../shared/use-cases/delivery-receipts.ts';

export interface SesEventsReport {
  suppressed: number;
  /** Deliveries whose receipt this batch set (`delivered`, or `undelivered` by a permanent bounce). */
  receipts: number;
  ignored: number;
}

/**
 * Delivery, bounce and complaint events from the SES configuration set, by SNS. A permanent
 * bounce or a complaint marks the address suppressed on the customer named by the message's
 * tags (dispatch tags every e-mail with tenantId, customerId and deliveryId); a Delivery marks
 * the delivery's receipt `delivered`, a permanent bounce `undelivered`. Transient bounces,
 * other event types and untagged mail are ignored. Logs carry ids, never addresses. It counts no
 * metrics, so it has no `logMetrics` to flush them.
 */
export function createSesEventsHandler(ports: Pick<Ports, 'store' | 'clock' | 'log' | 'ids' | 'webhooks'>, telemetry: Pick<Telemetry, 'logger'>) {
  return middy<unknown, SesEventsReport, Error, Context>()
    .use(injectLambdaContext(telemetry.logger))
    .handler(async (raw) => {
      const report: SesEventsReport = { suppressed: 0, receipts: 0, ignored: 0 };
      for (const record of SnsEventSchema.parse(raw).Records) {
        const parsed = SesEventSchema.safeParse(JSON.parse(record.Sns.Message));
        const event = parsed.success ? parsed.data : undefined;
        const type = event?.eventType ?? event?.notificationType;
        const tenantId = event?.mail.tags?.tenantId?.[0];
        const customerId = event?.mail.tags?.customerId?.[0];
        const deliveryId = event?.mail.tags?.deliveryId?.[0];
        const permanent = type === 'Bounce' && event?.bounce?.bounceType === 'Permanent';
        if (tenantId && deliveryId && (type === 'Delivery' || permanent)) {
          const changed = await recordEmailReceipt(
            ports,
            tenantId,
            deliveryId,
            type === 'Delivery',
            'the receiving mail server refused it for good (a permanent bounce)',
          );
          if (changed) report.receipts += 1;
          ports.log.info('ses event', { tenantId, deliveryId, type, receipt: changed });
          if (type === 'Delivery') continue;
        }
        const recipients = permanent ? event?.bounce?.bouncedRecipients : type === 'Complaint' ? event?.complaint?.complainedRecipients : undefined;
        if (!tenantId || !customerId || !recipients?.length) {
          report.ignored += 1;
          continue;
        }
        for (const { emailAddress } of recipients) {
          const done = await suppressEmail(ports, tenantId, customerId, emailAddress, permanent ? 'bounce' : 'complaint');
          if (done) report.suppressed += 1;
          else report.ignored += 1;
          ports.log.info('ses event', { tenantId, customerId, type, suppressed: done });
        }
      }
      return report;
    });
}
