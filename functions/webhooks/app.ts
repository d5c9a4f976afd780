import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { WebhookMessageSchema } from '../../shared/api/webhook-message.schema.ts';
import type { Telemetry } from '../../shared/composition.ts';
import type { Ports } from '../../shared/ports.ts';
import { handleWebhookMessage, type DeliveryPorts } from '../../shared/use-cases/webhook-delivery.ts';
import { parseMessageBody } from '../sqs/message-body.ts';

export type WebhooksFunctionPorts = DeliveryPorts & Pick<Ports, 'log'>;

/**
 * The webhooks Lambda, fed by the webhooks queue: each message is an event to fan out to
 * the firm's endpoints or one attempt at one endpoint (shared/use-cases/webhook-delivery.ts),
 * the messages of a batch side by side. A failed HTTP attempt is handled (it queues its next
 * attempt); only a message that throws (DynamoDB, Secrets Manager or SQS failing) or does not
 * parse is reported in `batchItemFailures`, comes back after the visibility timeout, and ends
 * in the dead-letter queue after `maxReceiveCount` receives. Logs carry ids and outcomes only:
 * never a URL, a secret or an event's data.
 */
export function createWebhooksHandler(ports: WebhooksFunctionPorts, telemetry: Pick<Telemetry, 'logger'>) {
  return middy<SQSEvent, SQSBatchResponse, Error, Context>()
    .use(injectLambdaContext(telemetry.logger))
    .handler(async (event) => {
      const done = await Promise.all(event.Records.map((record) => handle(ports, record)));
      return { batchItemFailures: event.Records.filter((_, i) => !done[i]).map((r) => ({ itemIdentifier: r.messageId })) };
    });
}

async function handle(ports: WebhooksFunctionPorts, record: SQSRecord): Promise<boolean> {
  const parsed = parseMessageBody(WebhookMessageSchema, record.body);
  if (!parsed.success) {
    ports.log.error('webhook message rejected', { messageId: record.messageId, issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`) });
    return false;
  }
  const message = parsed.data;
  const ids = {
    tenantId: message.tenantId,
    eventId: message.event.id,
    type: message.event.type,
    ...(message.kind === 'attempt' ? { endpointId: message.endpointId, attempt: message.attempt } : {}),
  };
  try {
    const outcome = await handleWebhookMessage(ports, message);
    // Every notice's events reach this queue, webhooks or not: a firm without them is not logged twice a notice.
    if (outcome === 'no-subscriber') ports.log.debug('webhook message', { ...ids, outcome });
    else ports.log.info('webhook message', { ...ids, outcome });
    return true;
  } catch (error) {
    ports.log.warn('webhook message failed; SQS hands it out again', { ...ids, error: (error as Error).name });
    return false;
  }
}
