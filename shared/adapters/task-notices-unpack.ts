import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rewriteScanned } from './conditional-rewrite.ts';
import { PACKED_NOTICES, unpackNotices } from './dynamodb-packed-notices.ts';

/**
 * Writes the notices of every task saved packed back as a list, the form the versions before
 * packing read (cdk/unpack-task-notices.ts runs it against a deployed table before a rollback
 * to one of them). Run it only once the deployed functions write lists (`packTaskNotices=false`):
 * a save that packs after the scan would pack the task again. Each task is written only while
 * it is as read (its version) and still packed, so a save meanwhile is never overwritten; its
 * version stays, as its content does. Run again, it finds nothing to do.
 */
export function unpackTaskNotices(db: DynamoDBDocumentClient, tableName: string): Promise<{ scanned: number; written: number }> {
  const names = { '#packed': PACKED_NOTICES };
  return rewriteScanned(
    db,
    tableName,
    {
      FilterExpression: 'entity = :task AND attribute_exists(#packed)',
      ExpressionAttributeValues: { ':task': 'task' },
      ProjectionExpression: 'pk, sk, #packed, version',
      ExpressionAttributeNames: names,
    },
    (item) => ({
      UpdateExpression: 'SET notices = :notices REMOVE #packed',
      ConditionExpression: 'attribute_exists(#packed) AND version = :version',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':notices': unpackNotices(item).notices, ':version': item.version },
    }),
  );
}
