import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient, type ScanCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

type Scan = Pick<ScanCommandInput, 'FilterExpression' | 'ProjectionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;
type Update = Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

/**
 * The backfills' walk of a deployed table: every item the scan keeps is updated on its own
 * condition (the item still as read), and one whose condition fails, a save meanwhile, is
 * left as that save wrote it. Written counts the updates that landed.
 */
export async function rewriteScanned(
  db: DynamoDBDocumentClient,
  tableName: string,
  scan: Scan,
  update: (item: Record<string, unknown>) => Update,
): Promise<{ scanned: number; written: number }> {
  let scanned = 0;
  let written = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ...scan, ExclusiveStartKey: startKey }));
    for (const item of (page.Items ?? []) as Record<string, unknown>[]) {
      scanned += 1;
      try {
        await db.send(new UpdateCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk }, ...update(item) }));
        written += 1;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { scanned, written };
}
