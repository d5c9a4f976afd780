import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-table.ts';
import { PACKED_NOTICES } from '../../shared/adapters/dynamodb-packed-notices.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import type { Config } from '../../shared/config.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';

/**
 * Cuts a task item's packed notices in half, in the table itself (a truncated binary value, as
 * test/attack14/corrupt-packed-notices.test.ts damages it): the task can no longer be read back.
 */
export async function damageStoredTask(
  config: Pick<Config, 'DYNAMODB_ENDPOINT' | 'AWS_REGION' | 'TABLE_NAME'>,
  tenantId: string,
  taskId: string,
): Promise<void> {
  const db = createDynamoDbClient({ endpoint: config.DYNAMODB_ENDPOINT, region: config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  const key = { pk: keys.tenant(tenantId), sk: keys.task(taskId) };
  const item = (await db.send(new GetCommand({ TableName: config.TABLE_NAME, Key: key, ConsistentRead: true }))).Item;
  const packed = item?.[PACKED_NOTICES];
  if (!(packed instanceof Uint8Array)) throw new Error(`task ${taskId} has no packed notices to damage`);
  await db.send(new PutCommand({ TableName: config.TABLE_NAME, Item: { ...item, [PACKED_NOTICES]: packed.subarray(0, Math.floor(packed.length / 2)) } }));
}
