import { backfillAttentionMarks } from '../shared/adapters/attention-marks-backfill.ts';
import { runOnTable } from './table-script.ts';

/**
 * Once, after the deploy that added the register's warning marks to a table with tasks in it:
 *   AWS_REGION=eu-north-1 npm run backfill:attention-marks -- <table name>
 * with credentials allowed dynamodb:Scan, dynamodb:Query and dynamodb:UpdateItem on the
 * table. Safe to run again, and while the service runs.
 */
await runOnTable('backfill:attention-marks', backfillAttentionMarks);
