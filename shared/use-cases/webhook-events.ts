import type { WebhookEvent, WebhookEventType } from '../domain/webhook.ts';
import type { Ports } from '../ports.ts';

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
  const event: WebhookEvent = { id, type, timestamp: ports.clock.now().toISOString(), data };
  try {
    await ports.webhooks.queue.send({ kind: 'event', tenantId, event });
    return true;
  } catch (error) {
    ports.log.error('webhook event not queued', { tenantId, eventId: event.id, type, error: (error as Error).name });
    return false;
  }
}
