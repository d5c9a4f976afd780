import type { DynamoTable } from './dynamodb-table.ts';
import { keys } from './table-layout.ts';

/** A second's counter is of no use after it; DynamoDB's TTL removes it a day later (space only). */
const KEEP_SECONDS = 24 * 3600;

/**
 * The send pacer's counters: one item per lane and second, `used` = sends reserved in that
 * second by every dispatch invocation together. One unconditional UpdateItem (ADD) per
 * reservation, so invocations never contend on a condition; the answer says where this
 * reservation landed. The SDK's retry of an ADD whose answer was lost counts it twice: the
 * second holds one reservation fewer than it could, never one more.
 */
export async function reserveSendSlots(table: DynamoTable, lane: string, second: number, count: number): Promise<number> {
  const item = await table.updateReturning({
    Key: { pk: keys.sendSlots(lane), sk: keys.sendSecond(second) },
    UpdateExpression: 'ADD #used :count SET expiresAt = :expires, entity = :entity',
    ExpressionAttributeNames: { '#used': 'used' },
    ExpressionAttributeValues: { ':count': count, ':expires': second + KEEP_SECONDS, ':entity': 'send-slots' },
  });
  return Number(item?.used ?? count);
}
