import { backfillRegisterIndex } from '../shared/adapters/register-index-backfill.ts';
import { runOnTable } from './table-script.ts';

/**
 * Once, after each deploy that added gsi6 or gsi7 to a table with tasks in it:
 *   AWS_REGION=eu-north-1 npm run backfill:register-index -- <table name>
 * with credentials allowed dynamodb:Scan and dynamodb:UpdateItem on the table. Safe to run
 * again, and while the service runs.
 */
await runOnTable('backfill:register-index', backfillRegisterIndex);
