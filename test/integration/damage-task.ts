import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { PACKED_NOTICES } from '../../shared/adapters/dynamodb-packed-notices.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import type { Config } from '../../shared/config.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';

/** Changes a stored task item: returns the item to write in its place. */
export type Damage = (item: Record<string, unknown>) => Record<string, unknown>;

/**
 * Cuts the packed notices in half (a truncated binary value, as
 * test/attack14/corrupt-packed-notices.test.ts damages it): raw DEFLATE that ends mid-stream.
 */
export const truncatePackedNotices: Damage = (item) => {
  const packed = item[PACKED_NOTICES];
  if (!(packed instanceof Uint8Array)) throw new Error(`task ${String(item.id)} has no packed notices to damage`);
  return { ...item, [PACKED_NOTICES]: packed.subarray(0, Math.floor(packed.length / 2)) };
};

/**
 * Damages a task item in the table itself (by default its packed notices cut short,
 * truncatePackedNotices): the task can no longer be read back.
 */
export async function damageStoredTask(
  config: Pick<Config, 'DYNAMODB_ENDPOINT' | 'AWS_REGION' | 'TABLE_NAME'>,
  tenantId: string,
  taskId: string,
  damage: Damage = truncatePackedNotices,
): Promise<void> {
  const db = createDynamoDbClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  const key = { pk: keys.tenant(tenantId), sk: keys.task(taskId) };
  const item = (await db.send(new GetCommand({ TableName: config.TABLE_NAME, Key: key, ConsistentRead: true }))).Item;
  if (!item) throw new Error(`no task ${taskId} to damage`);
  await db.send(new PutCommand({ TableName: config.TABLE_NAME, Item: damage(item) }));
}
