import type { Page } from '../domain/model.ts';
import { MAX_RECORDED_ATTEMPTS, type WebhookAttempt, type WebhookDelivery, type WebhookEndpoint } from '../domain/webhook.ts';
import { ConflictError } from '../errors.ts';
import type { WebhookDeliveryChange } from '../webhook-ports.ts';
import { WEBHOOKS_QUEUE } from '../webhooks-queue.ts';
import { strip, type DynamoTable } from './dynamodb-table.ts';
import { keys } from './table-layout.ts';

/**
 * A firm's webhook endpoints (`WH#id`) and the delivery of each event to each endpoint
 * (`WHD#endpointId#eventId`, event ids sort by time), under the tenant's partition. Every
 * change is one conditional write; an attempt is appended with `list_append`, so two copies
 * of one attempt message (SQS delivers at least once) both stay on the record, and neither
 * can move a `delivered` record back.
 */
export class WebhookRecords {
  constructor(private readonly table: DynamoTable) {}

  async create(tenantId: string, endpoint: WebhookEndpoint): Promise<void> {
    const created = await this.table.putIf({ Item: this.item(tenantId, endpoint), ConditionExpression: 'attribute_not_exists(pk)' });
    if (!created) throw new ConflictError(`a webhook ${endpoint.id} exists already`);
  }

  get(tenantId: string, id: string): Promise<WebhookEndpoint | undefined> {
    return this.table.get<WebhookEndpoint>(keys.tenant(tenantId), keys.webhook(id));
  }

  async list(tenantId: string): Promise<WebhookEndpoint[]> {
    const items = await this.table.all({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenant(tenantId), ':prefix': keys.webhook('') },
      ConsistentRead: true,
    });
    return items.map((item) => strip<WebhookEndpoint>(item));
  }

  put(tenantId: string, endpoint: WebhookEndpoint, expectedVersion: number): Promise<void> {
    return this.table.putVersioned(this.item(tenantId, endpoint), expectedVersion);
  }

  delete(tenantId: string, id: string, expectedVersion: number): Promise<boolean> {
    return this.table.deleteVersioned(keys.tenant(tenantId), keys.webhook(id), expectedVersion);
  }

  async markFailing(tenantId: string, id: string, at: string): Promise<WebhookEndpoint | undefined> {
    const item = await this.table.updateReturning({
      Key: { pk: keys.tenant(tenantId), sk: keys.webhook(id) },
      UpdateExpression: 'SET failingSince = if_not_exists(failingSince, :at)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':at': at },
    });
    return item ? strip<WebhookEndpoint>(item) : undefined;
  }

  async markHealthy(tenantId: string, id: string): Promise<void> {
    await this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.webhook(id) },
      UpdateExpression: 'REMOVE failingSince',
      ConditionExpression: 'attribute_exists(failingSince)',
    });
  }

  disable(tenantId: string, id: string, failingSince: string, at: string): Promise<boolean> {
    return this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.webhook(id) },
      UpdateExpression: 'SET enabled = :off, disabled = :disabled, version = version + :one, updatedAt = :at',
      ConditionExpression: 'enabled = :on AND failingSince = :since',
      ExpressionAttributeValues: { ':off': false, ':on': true, ':disabled': { reason: 'failing', at }, ':one': 1, ':at': at, ':since': failingSince },
    });
  }

  async getDelivery(tenantId: string, endpointId: string, eventId: string): Promise<WebhookDelivery | undefined> {
    const item = await this.table.get<WebhookDelivery & { expiresAt?: number }>(keys.tenant(tenantId), keys.webhookDelivery(endpointId, eventId));
    return item ? withoutExpiry(item) : undefined;
  }

  recordAttempt(tenantId: string, change: WebhookDeliveryChange, attempt?: WebhookAttempt): Promise<boolean> {
    const expiresAt = Math.floor(Date.parse(change.updatedAt) / 1000) + WEBHOOKS_QUEUE.recordDays * 86_400;
    const set = [
      'entity = :entity',
      'eventId = :eventId',
      'endpointId = :endpointId',
      '#type = :type',
      '#state = :state',
      'createdAt = if_not_exists(createdAt, :now)',
      'updatedAt = :now',
      'expiresAt = :expires',
      `attempts = ${attempt ? 'list_append(if_not_exists(attempts, :none), :attempt)' : 'if_not_exists(attempts, :none)'}`,
      ...(change.nextAttemptAt ? ['nextAttemptAt = :next'] : []),
      ...(change.reason ? ['reason = :reason'] : []),
    ];
    const remove = [...(change.nextAttemptAt ? [] : ['nextAttemptAt']), ...(change.reason ? [] : ['reason'])];
    return this.table.updateIf({
      Key: { pk: keys.tenant(tenantId), sk: keys.webhookDelivery(change.endpointId, change.eventId) },
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      // A delivered record is final; the list of attempts is bounded.
      ConditionExpression: '(attribute_not_exists(#state) OR #state <> :delivered) AND (attribute_not_exists(attempts) OR size(attempts) < :max)',
      ExpressionAttributeNames: { '#type': 'type', '#state': 'state' },
      ExpressionAttributeValues: {
        ':entity': 'webhook-delivery',
        ':eventId': change.eventId,
        ':endpointId': change.endpointId,
        ':type': change.type,
        ':state': change.state,
        ':now': change.updatedAt,
        ':expires': expiresAt,
        ':none': [],
        ':delivered': 'delivered',
        ':max': MAX_RECORDED_ATTEMPTS,
        ...(attempt ? { ':attempt': [attempt] } : {}),
        ...(change.nextAttemptAt ? { ':next': change.nextAttemptAt } : {}),
        ...(change.reason ? { ':reason': change.reason } : {}),
      },
    });
  }

  async listDeliveries(tenantId: string, endpointId: string, page: { limit: number; cursor?: string }): Promise<Page<WebhookDelivery>> {
    const found = await this.table.page<WebhookDelivery & { expiresAt?: number }>(
      tenantId,
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.tenant(tenantId), ':prefix': keys.webhookDelivery(endpointId, '') },
        ScanIndexForward: false,
        Limit: page.limit,
      },
      page.cursor,
    );
    return { ...found, items: found.items.map(withoutExpiry) };
  }

  private item(tenantId: string, endpoint: WebhookEndpoint): Record<string, unknown> {
    return { pk: keys.tenant(tenantId), sk: keys.webhook(endpoint.id), entity: 'webhook', ...endpoint };
  }
}

/** The TTL attribute is the table's business, not the record's. */
function withoutExpiry({ expiresAt: _expiresAt, ...delivery }: WebhookDelivery & { expiresAt?: number }): WebhookDelivery {
  return delivery;
}
