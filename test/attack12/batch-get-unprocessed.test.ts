import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { DynamoTable } from '../../shared/adapters/dynamodb-table.ts';
import { DependencyUnavailableError } from '../../shared/errors.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { TestClock } from '../integration/clock.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

/**
 * BatchGetItem answers with the keys it did not get to in `UnprocessedKeys` (throttling, or
 * 16 MB of answer), with the request's `ConsistentRead`; the local DynamoDB never does. Here
 * each call to the local DynamoDB is cut to its first `processed` keys, and the rest come back
 * unprocessed as AWS words them ("BatchGetItem", API Reference): the reads of dispatch's
 * batches (Store.getByKeys) and of keys-only pages (DynamoTable.getMany) must ask for them
 * again, consistently, and give up, bounded, when DynamoDB keeps most of them back.
 */
/** As the DocumentClient gives them, before they are marshalled. */
type Key = { pk: string; sk: string };
type Request = Record<string, { Keys: Key[]; ConsistentRead?: boolean }>;

let stack: TestStack;
let table: DynamoTable;
let processed = Infinity;
const calls: { keys: string[]; consistent: boolean }[] = [];

beforeAll(async () => {
  stack = await startTestStack({ clock: new TestClock(new Date('2027-03-01T10:00:00Z')) });
  const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchGetItemCommand') return next(args);
      const input = args.input as { RequestItems: Request };
      const [[name, request]] = Object.entries(input.RequestItems) as [[string, Request[string]]];
      calls.push({ keys: request.Keys.map((k) => k.sk), consistent: request.ConsistentRead === true });
      const rest = request.Keys.slice(processed);
      const result = await next({ ...args, input: { ...input, RequestItems: { [name]: { ...request, Keys: request.Keys.slice(0, processed) } } } });
      const output = result.output as { UnprocessedKeys?: Request };
      if (rest.length) output.UnprocessedKeys = { [name]: { ...request, Keys: rest } };
      return result;
    },
    { step: 'initialize', name: 'attack12UnprocessedKeys' },
  );
  table = new DynamoTable(db, stack.config.TABLE_NAME);
  for (let i = 0; i < 5; i += 1) await db.send(new PutCommand({ TableName: stack.config.TABLE_NAME, Item: { pk: 'T#firm-unprocessed', sk: `X#${i}`, n: i } }));
}, 60_000);
afterAll(() => stack.stop());
beforeEach(() => {
  calls.length = 0;
});

const keysOf = (n: number) => Array.from({ length: n }, (_, i) => ({ pk: 'T#firm-unprocessed', sk: `X#${i}` }));

it('asks again for the keys DynamoDB left unprocessed, consistently, and answers them all in order', async () => {
  processed = 2;
  const items = await table.getMany(keysOf(4).reverse(), true);
  expect(items.map((item) => item.n)).toEqual([3, 2, 1, 0]);
  expect(calls).toEqual([
    { keys: ['X#3', 'X#2', 'X#1', 'X#0'], consistent: true },
    { keys: ['X#1', 'X#0'], consistent: true },
  ]);
});

it('gives up after 4 calls when DynamoDB keeps holding keys back: a 503 the caller retries, not a read for ever', async () => {
  processed = 1;
  await expect(table.getMany(keysOf(5), true)).rejects.toBeInstanceOf(DependencyUnavailableError);
  expect(calls.map((call) => call.keys.length)).toEqual([5, 4, 3, 2]);
});
