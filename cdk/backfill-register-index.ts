import { createDynamoDbClient } from '../shared/adapters/dynamodb-table.ts';
import { backfillRegisterIndex } from '../shared/adapters/register-index-backfill.ts';

/**
 * Once, after each deploy that added gsi6 or gsi7 to a table with tasks in it:
 *   AWS_REGION=eu-north-1 npm run backfill:register-index -- <table name>
 * with credentials allowed dynamodb:Scan and dynamodb:UpdateItem on the table. Safe to run
 * again, and while the service runs.
 */
const tableName = process.argv[2];
if (!tableName) {
  console.error('usage: npm run backfill:register-index -- <table name>');
  process.exit(2);
}
const db = createDynamoDbClient({ region: process.env.AWS_REGION });
console.log(await backfillRegisterIndex(db, tableName));
