import { createDynamoDbClient } from '../shared/adapters/dynamodb-table.ts';
import { backfillAttentionMarks } from '../shared/adapters/attention-marks-backfill.ts';

/**
 * Once, after the deploy that added the register's warning marks to a table with tasks in it:
 *   AWS_REGION=eu-north-1 npm run backfill:attention-marks -- <table name>
 * with credentials allowed dynamodb:Scan, dynamodb:Query and dynamodb:UpdateItem on the
 * table. Safe to run again, and while the service runs.
 */
const tableName = process.argv[2];
if (!tableName) {
  console.error('usage: npm run backfill:attention-marks -- <table name>');
  process.exit(2);
}
const db = createDynamoDbClient({ region: process.env.AWS_REGION });
console.log(await backfillAttentionMarks(db, tableName));
