import { unpackTaskNotices } from '../shared/adapters/task-notices-unpack.ts';
import { runOnTable } from './table-script.ts';

/**
 * Before rolling back to a version that reads a task's notices only as a list, once a deploy
 * with `-c packTaskNotices=false` is done:
 *   AWS_REGION=eu-north-1 npm run unpack:task-notices -- <table name>
 * with credentials allowed dynamodb:Scan and dynamodb:UpdateItem on the table. Safe to run
 * again, and while the service runs.
 */
await runOnTable('unpack:task-notices', unpackTaskNotices);
