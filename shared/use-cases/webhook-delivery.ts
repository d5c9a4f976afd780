import { Webhook } from 'standardwebhooks';
import type { WebhookAttemptMessage, WebhookMessage } from '../api/webhook-message.schema.ts';
import { nextAttemptAt, PING_EVENT_TYPE, WEBHOOK_RETRY_HOURS, type WebhookAttempt, type WebhookEndpoint } from '../domain/webhook.ts';
import type { Ports } from '../ports.ts';
import type { WebhookDeliveryChange, WebhookResponse } from '../webhook-ports.ts';
import { WEBHOOKS_QUEUE } from '../webhooks-queue.ts';

export type DeliveryPorts = Pick<Ports, 'store' | 'secrets' | 'webhooks' | 'clock'>;

/** What became of one message: for the log (ids and this word, nothing else). */
export type DeliveryOutcome = 'fanned-out' | 'no-subscriber' | 'waiting' | 'delivered' | 'retrying' | 'gave-up' | 'disabled' | 'duplicate' | 'dropped';

/**
 * Handles one message of the webhooks queue. An event is fanned out: one attempt message
 * per enabled endpoint that subscribes to its type (a copy of the event message fans out
 * again; the attempts' records make the copies harmless, below); `no-subscriber` when the
 * firm has no such endpoint, as most firms have none. An attempt is made by
 * `attempt`. Throws only when DynamoDB, Secrets Manager or SQS fail: the message then comes
 * back after the visibility timeout.
 */
export async function handleWebhookMessage(ports: DeliveryPorts, message: WebhookMessage): Promise<DeliveryOutcome> {
  if (message.kind === 'attempt') return attempt(ports, message);
  const endpoints = await ports.store.listWebhooks(message.tenantId);
  const subscribed = endpoints.filter((e) => e.enabled && e.eventTypes.some((type) => type === message.event.type));
  if (subscribed.length === 0) return 'no-subscriber';
  for (const endpoint of subscribed) {
    await ports.webhooks.queue.send({ kind: 'attempt', tenantId: message.tenantId, endpointId: endpoint.id, event: message.event, attempt: 1 });
  }
  return 'fanned-out';
}

/**
 * One attempt of one event at one endpoint:
 * 1. not yet due (`notBefore`): back on the queue with the rest of the wait (15 minutes at most);
 * 2. the endpoint gone, or no longer subscribed: dropped; turned off: the record ends `failed`;
 * 3. a record already `delivered` (a copy of the message): nothing sent;
 * 4. POST the Standard Webhooks payload, signed with the endpoint's secret
 *    (`webhook-id` = the event's id on every attempt, `webhook-timestamp`, `webhook-signature` v1);
 * 5. record the attempt first, then, after a failure, queue the next one (back-off in
 *    shared/domain/webhook.ts) until 24 hours from the first attempt. A crash between the
 *    record and the next message brings this message back: the attempt is made again.
 * An endpoint whose attempts have failed for 24 hours without one delivered is turned off.
 */
async function attempt(ports: DeliveryPorts, message: WebhookAttemptMessage): Promise<DeliveryOutcome> {
  const now = ports.clock.now();
  if (message.notBefore && Date.parse(message.notBefore) > now.getTime()) {
    await ports.webhooks.queue.send(message, (Date.parse(message.notBefore) - now.getTime()) / 1000);
    return 'waiting';
  }
  const { tenantId, endpointId, event } = message;
  const endpoint = await ports.store.getWebhook(tenantId, endpointId);
  if (!endpoint || !(event.type === PING_EVENT_TYPE || endpoint.eventTypes.some((t) => t === event.type))) return 'dropped';
  const change = (state: WebhookDeliveryChange['state'], extra: Partial<WebhookDeliveryChange> = {}): WebhookDeliveryChange => ({
    eventId: event.id,
    endpointId,
    type: event.type,
    state,
    updatedAt: ports.clock.now().toISOString(),
    ...extra,
  });
  if (!endpoint.enabled) {
    await ports.store.recordWebhookAttempt(tenantId, change('failed', { reason: 'endpoint-disabled' }));
    return 'disabled';
  }
  if ((await ports.store.getWebhookDelivery(tenantId, endpointId, event.id))?.state === 'delivered') return 'duplicate';

  const started = performance.now();
  const response = await post(ports, endpoint, message);
  const tried: WebhookAttempt = {
    attempt: message.attempt,
    at: now.toISOString(),
    outcome: response.delivered ? 'delivered' : 'failed',
    ...(response.status !== undefined ? { status: response.status } : {}),
    ...(!response.delivered ? { error: response.error } : {}),
    durationMs: Math.round(performance.now() - started),
  };
  if (response.delivered) {
    if (!(await ports.store.recordWebhookAttempt(tenantId, change('delivered'), tried))) return 'duplicate';
    if (endpoint.failingSince) await ports.store.markWebhookHealthy(tenantId, endpointId);
    return 'delivered';
  }
  return afterFailure(ports, message, tried, change);
}

async function post(ports: DeliveryPorts, endpoint: WebhookEndpoint, message: WebhookAttemptMessage): Promise<WebhookResponse> {
  const secret = await ports.secrets.get(endpoint.secret);
  if (secret === undefined) return { delivered: false, error: 'secret-missing' };
  const { id, type, timestamp, data } = message.event;
  const body = JSON.stringify({ type, timestamp, data });
  const sentAt = ports.clock.now();
  return ports.webhooks.sender.post({
    url: endpoint.url,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Frist-Webhooks/1',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, sentAt, body),
    },
  });
}

async function afterFailure(
  ports: DeliveryPorts,
  message: WebhookAttemptMessage,
  tried: WebhookAttempt,
  change: (state: WebhookDeliveryChange['state'], extra?: Partial<WebhookDeliveryChange>) => WebhookDeliveryChange,
): Promise<DeliveryOutcome> {
  const { tenantId, endpointId } = message;
  const now = ports.clock.now();
  const marked = await ports.store.markWebhookFailing(tenantId, endpointId, now.toISOString());
  const failingSince = marked?.failingSince;
  if (marked?.enabled && failingSince && now.getTime() - Date.parse(failingSince) >= WEBHOOK_RETRY_HOURS * 3600_000) {
    await ports.store.disableWebhook(tenantId, endpointId, failingSince, now.toISOString());
    await ports.store.recordWebhookAttempt(tenantId, change('failed', { reason: 'endpoint-disabled' }), tried);
    return 'disabled';
  }
  const firstAttemptAt = message.firstAttemptAt ?? tried.at;
  const next = nextAttemptAt(message.attempt + 1, new Date(firstAttemptAt), now);
  if (!next) {
    await ports.store.recordWebhookAttempt(tenantId, change('failed', { reason: 'gave-up' }), tried);
    return 'gave-up';
  }
  if (!(await ports.store.recordWebhookAttempt(tenantId, change('pending', { nextAttemptAt: next.toISOString() }), tried))) return 'duplicate';
  const wait = Math.min((next.getTime() - now.getTime()) / 1000, WEBHOOKS_QUEUE.maxDelaySeconds);
  await ports.webhooks.queue.send({ ...message, attempt: message.attempt + 1, firstAttemptAt, notBefore: next.toISOString() }, wait);
  return 'retrying';
}
