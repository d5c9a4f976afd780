import { randomUUID } from 'node:crypto';
import type { SmsCounter } from '../domain/sms-limits.ts';
import type { DynamoTable } from './dynamodb-table.ts';
import { keys } from './table-layout.ts';

/**
 * The SMS caps' counters (shared/use-cases/sms-allowance.ts): one item per window, `count`
 * units taken. Each change is one conditional UpdateItem, so parallel dispatch invocations
 * cannot take more than the cap between them (dynalite has no transactions, and none is
 * needed). `expiresAt` is the table's TTL attribute: DynamoDB deletes an item some time after
 * it, which only saves space; nothing relies on it (a window's item is never read after it).
 *
 * An UpdateItem that adds one is not idempotent, and the SDK retries a call whose answer was
 * lost by itself: each change writes its token and is conditional on the stored token not
 * being its own, so such a retry finds it and changes nothing (as customer-holds.ts does).
 */
export class SmsCounterRecords {
  constructor(private readonly table: DynamoTable) {}

  async take(tenantId: string, counter: SmsCounter, token: string): Promise<boolean> {
    const key = this.key(tenantId, counter);
    const applied = await this.table.updateIf({
      Key: key,
      UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one, countToken = :token, expiresAt = :expires, entity = :entity',
      ConditionExpression: '(attribute_not_exists(#count) OR #count < :cap) AND (attribute_not_exists(countToken) OR countToken <> :token)',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':cap': counter.cap, ':token': token, ':expires': counter.expiresAt, ':entity': 'sms-counter' },
    });
    // Refused: the cap is reached, or this is the SDK's retry of our own take, carried out.
    return applied || (await this.table.getRaw(key.pk, key.sk))?.countToken === token;
  }

  async giveBack(tenantId: string, counter: SmsCounter): Promise<void> {
    await this.table.updateIf({
      Key: this.key(tenantId, counter),
      UpdateExpression: 'SET #count = #count - :one, countToken = :token',
      ConditionExpression: '#count > :zero AND countToken <> :token',
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':token': randomUUID() },
    });
  }

  private key(tenantId: string, counter: SmsCounter): { pk: string; sk: string } {
    return { pk: counter.scope === 'tenant' ? keys.tenant(tenantId) : keys.deploymentCounters(), sk: keys.smsCounter(counter.id) };
  }
}
