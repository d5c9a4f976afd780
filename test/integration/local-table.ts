import { afterAll, beforeAll } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, LOCAL_CREDENTIALS, startDynamoDb, type LocalDynamoDb } from '../../local/local-dynamodb.ts';

/**
 * A local DynamoDB with Frist's table `name`, started before the file's tests and stopped
 * after them; `client()` is the SDK client on it (the tests of the stand-in itself).
 */
export function localTable(name: string): { client: () => DynamoDBClient } {
  let dynamodb: LocalDynamoDb;
  let db: DynamoDBClient;
  beforeAll(async () => {
    dynamodb = await startDynamoDb();
    await createTable(dynamodb.endpoint, name, 'eu-north-1');
    db = new DynamoDBClient({ endpoint: dynamodb.endpoint, region: 'eu-north-1', credentials: LOCAL_CREDENTIALS });
  });
  afterAll(async () => {
    db.destroy();
    await dynamodb.stop();
  });
  return { client: () => db };
}
