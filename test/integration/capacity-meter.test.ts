import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchGetItemCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { CapacityMeter } from '../../bench/capacity-meter.ts';
import { createTable, LOCAL_CREDENTIALS, startDynamoDb, type LocalDynamoDb } from '../../local/local-dynamodb.ts';

/**
 * The cost bench's meter names what each read was spent on: a BatchGetItem by the kind of each
 * item it returns, as DynamoDB charges it (a GetItem per key: each item rounded up to 4 KB, a
 * key without an item the minimum), and a Query by its index, with the bytes it returned.
 */
const TABLE = 'frist-meter';
let dynamodb: LocalDynamoDb;
let meter: CapacityMeter;
let db: DynamoDBClient;

beforeAll(async () => {
  dynamodb = await startDynamoDb();
  await createTable(dynamodb.endpoint, TABLE, 'eu-north-1');
  meter = new CapacityMeter('eu-north-1');
  db = new DynamoDBClient({ endpoint: await meter.start(dynamodb.endpoint), region: 'eu-north-1', credentials: LOCAL_CREDENTIALS });
  const put = (sk: string, text: string) => db.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'T#firm' }, sk: { S: sk }, text: { S: text } } }));
  await put('K#task', 'x'.repeat(5000));
  await put('C#customer', 'Fjord Bakeri AS');
});
afterAll(async () => {
  db.destroy();
  await meter.stop();
  await dynamodb.stop();
});

describe('the capacity meter', () => {
  it('counts a BatchGetItem per item and kind, and a key that finds nothing as a missing item', async () => {
    meter.reset();
    const key = (sk: string) => ({ pk: { S: 'T#firm' }, sk: { S: sk } });
    await db.send(new BatchGetItemCommand({ RequestItems: { [TABLE]: { Keys: [key('K#task'), key('C#customer'), key('K#gone')], ConsistentRead: true } } }));
    // The task's 5 KB is two 4 KB units; the customer one; the key without an item the minimum.
    expect(Object.fromEntries(meter.reads)).toEqual({ task: 2, customer: 1, 'missing item': 1 });
  });

  it('counts a Query by its index, at least the minimum, and keeps the bytes it returned', async () => {
    meter.reset();
    await db.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
        ExpressionAttributeValues: { ':pk': { S: 'T#firm' }, ':c': { S: 'C#' } },
      }),
    );
    expect(Object.fromEntries(meter.reads)).toEqual({ 'query table': 0.5 });
    // pk (2 + 6), sk (2 + 10), text (4 + 15).
    expect(Object.fromEntries(meter.readBytes)).toEqual({ 'query table': 39 });
  });
});
