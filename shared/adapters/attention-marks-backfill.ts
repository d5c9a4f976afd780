import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { latestOutcomes } from '../domain/attention.ts';
import { AttentionMarks } from './attention-marks.ts';
import { DeliveryRecords } from './delivery-records.ts';
import { DynamoTable } from './dynamodb-table.ts';
import { keys } from './table-layout.ts';

/**
 * Builds the warning mark (attention-marks.ts) of every task from its delivery records, then
 * says it is complete (cdk/backfill-attention-marks.ts runs it against a deployed table, once
 * after the deploy that added marks; run again, it repairs a mark whose note failed). Each
 * channel's entry only ever moves to a later outcome, so a send noting its outcome while the
 * rebuild runs is kept whichever write lands last.
 */
export async function backfillAttentionMarks(db: DynamoDBDocumentClient, tableName: string): Promise<{ tasks: number; outcomes: number }> {
  const table = new DynamoTable(db, tableName);
  const marks = new AttentionMarks(table);
  const deliveries = new DeliveryRecords(table, marks);
  let tasks = 0;
  let outcomes = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'entity = :task',
        ExpressionAttributeValues: { ':task': 'task' },
        ProjectionExpression: 'pk, id',
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of (page.Items ?? []) as { pk: string; id: string }[]) {
      const tenantId = item.pk.slice(keys.tenant('').length);
      const latest = latestOutcomes(await deliveries.listForTask(tenantId, item.id));
      for (const outcome of latest) await marks.note(tenantId, item.id, outcome);
      await marks.markComplete(tenantId, item.id);
      tasks += 1;
      outcomes += latest.length;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { tasks, outcomes };
}
