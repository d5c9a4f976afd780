import type { WebhookEvent, WebhookEventType } from '../domain/webhook.ts';
import type { Ports } from '../ports.ts';
import type { WebhookMessage } from '../api/webhook-message.schema.ts';

export type EventPorts = Pick<Ports, 'webhooks' | 'ids' | 'clock' | 'log'>;

/** What an event says: ids and codes only, never an address, a name or a message text. */
export type EventData = Record<string, string | number | boolean>;

/** `evt_` + the time to the millisecond + 16 random characters: unique, and sorted by time. */
export function newEventId(ports: Pick<Ports, 'ids' | 'clock'>): string {
  return `evt_${ports.clock.now().toISOString().replace(/\D/g, '')}${ports.ids.newId()}`;
}

/**
 * Publishes one event of the firm to its webhooks: one message on the webhooks queue, which
 * the webhooks function fans out to each endpoint that subscribes to `type`
 * (shared/use-cases/webhook-delivery.ts). Any use case may call it after it has recorded
 * what the event reports.
 *
 * It never throws: an event must not turn a send into a failure. A publish that SQS refuses
 * (after the client's two tries) is logged with its ids and lost (false); so is one of a
 * function that dies between its record and this call. That is the window docs/api.md names.
 * A caller that can publish again gives the event's `id`, the same each time, so that a
 * receiver (and the delivery record) sees one event.
 */
export async function publishEvent(ports: EventPorts, tenantId: string, type: WebhookEventType, data: EventData, id = newEventId(ports)): Promise<boolean> {
  const message = eventMessage(ports, { tenantId, type, data }, id);
  try {
    await ports.webhooks.queue.send(message);
    return true;
  } catch (error) {
    return notQueued(ports, message, error);
  }
}

/** One event to publish: the firm, its type and its data. */
export interface EventOf {
  tenantId: string;
  type: WebhookEventType;
  data: EventData;
}

/**
 * Publishes several events as publishEvent does each, in SendMessageBatch calls of up to 10
 * (one call for a dispatch batch's events instead of one per event). Never throws; an event
 * SQS did not take is logged and lost, as there. How many were queued.
 */
export async function publishEvents(ports: EventPorts, events: EventOf[]): Promise<number> {
  if (!events.length) return 0;
  const messages = events.map((event) => eventMessage(ports, event));
  let queued: boolean[];
  try {
    queued = await ports.webhooks.queue.sendBatch(messages);
  } catch (error) {
    return messages.filter((message) => notQueued(ports, message, error)).length;
  }
  return messages.filter((message, i) => queued[i] || notQueued(ports, message, new RefusedEntry())).length;
}

function eventMessage(ports: EventPorts, { tenantId, type, data }: EventOf, id = newEventId(ports)): Extract<WebhookMessage, { kind: 'event' }> {
  const event: WebhookEvent = { id, type, timestamp: ports.clock.now().toISOString(), data };
  return { kind: 'event', tenantId, event };
}

/** Logs an event lost to SQS, with its ids; false. */
function notQueued(ports: EventPorts, { tenantId, event }: Extract<WebhookMessage, { kind: 'event' }>, error: unknown): false {
  ports.log.error('webhook event not queued', { tenantId, eventId: event.id, type: event.type, error: (error as Error).name });
  return false;
}

/** An entry of a SendMessageBatch that SQS answered as failed. */
class RefusedEntry extends Error {
  override readonly name = 'RefusedEntry';
}
