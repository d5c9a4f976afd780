import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from '../shared/adapters/dynamodb-client.ts';

/**
 * The body of a one-off script over the table (a backfill, the unpacking before a rollback):
 * `npm run <command> -- <table name>` in the region of `AWS_REGION`, with the credentials of the
 * shell. Without a table name it prints the usage and exits 2; else it prints the run's counts.
 */
export async function runOnTable<T>(command: string, run: (db: DynamoDBDocumentClient, tableName: string) => Promise<T>): Promise<void> {
  const tableName = process.argv[2];
  if (!tableName) {
    console.error(`usage: npm run ${command} -- <table name>`);
    process.exit(2);
  }
  console.log(await run(createDynamoDbClient({ region: process.env.AWS_REGION }), tableName));
}
