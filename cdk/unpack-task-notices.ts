import { createDynamoDbClient } from '../shared/adapters/dynamodb-table.ts';
import { unpackTaskNotices } from '../shared/adapters/task-notices-unpack.ts';

/**
 * Before rolling back to a version that reads a task's notices only as a list, once a deploy
 * with `-c packTaskNotices=false` is done:
 *   AWS_REGION=eu-north-1 npm run unpack:task-notices -- <table name>
 * with credentials allowed dynamodb:Scan and dynamodb:UpdateItem on the table. Safe to run
 * again, and while the service runs.
 */
const tableName = process.argv[2];
if (!tableName) {
  console.error('usage: npm run unpack:task-notices -- <table name>');
  process.exit(2);
}
const db = createDynamoDbClient({ region: process.env.AWS_REGION });
console.log(await unpackTaskNotices(db, tableName));
