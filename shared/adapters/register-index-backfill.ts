import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rewriteScanned } from './conditional-rewrite.ts';
import { PACKED_NOTICES, unpackNotices } from './dynamodb-packed-notices.ts';
import { keys } from './table-layout.ts';

/**
 * Gives the tasks saved before gsi6 and gsi7 existed their keys of those indexes
 * (cdk/backfill-register-index.ts runs it against a deployed table once, after the deploy
 * that added an index). Each task is written only while it is as read (its version) and
 * still without one of the keys, so a save meanwhile, which writes them itself, is never
 * overwritten; run again, it finds nothing to do.
 */
const MISSING = 'attribute_not_exists(gsi6pk) OR attribute_not_exists(gsi7pk)';

export function backfillRegisterIndex(db: DynamoDBDocumentClient, tableName: string): Promise<{ scanned: number; written: number }> {
  return rewriteScanned(
    db,
    tableName,
    {
      FilterExpression: `entity = :task AND (${MISSING})`,
      ExpressionAttributeValues: { ':task': 'task' },
      ProjectionExpression: `pk, sk, #status, notices, ${PACKED_NOTICES}, customerId, gsi1sk, version`,
      ExpressionAttributeNames: { '#status': 'status' },
    },
    (item) => {
      const tenantId = String(item.pk).slice(keys.tenant('').length);
      // Kept as a list by the versions before gsi6, packed by later ones.
      const { notices } = unpackNotices(item);
      const hasNotices = Array.isArray(notices) && notices.length > 0;
      return {
        UpdateExpression: 'SET gsi6pk = :pk6, gsi6sk = :sk, gsi7pk = :pk7, gsi7sk = :sk',
        ConditionExpression: `(${MISSING}) AND version = :version`,
        ExpressionAttributeValues: {
          ':pk6': keys.byStatusNotices(tenantId, String(item.status), hasNotices),
          ':pk7': keys.byCustomerStatusNotices(tenantId, String(item.customerId), String(item.status), hasNotices),
          // Every task index shares the register's sort key (`deadline#id`).
          ':sk': item.gsi1sk,
          ':version': item.version,
        },
      };
    },
  );
}
