import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { PACKED_NOTICES } from '../../shared/adapters/dynamodb-packed-notices.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

/**
 * One task item of a dispatch batch whose packed notices are cut short (a truncated binary
 * value: raw DEFLATE that ends mid-stream). The batch's notices read their tasks together, in
 * one BatchGetItem: the unreadable item must fail its own notice only, as any poison message of
 * a batch settles alone; the other nine notices, of readable tasks, are sent at once.
 */
const clock = new TestClock(new Date('2030-02-01T10:00:00Z'));
const DUE = '2030-02-07T08:00:00Z';
const TENANT = 'firm-corrupt-packed';
let stack: TestStack;

beforeAll(async () => {
  // One invocation at a time, so the ten messages are one batch.
  stack = await startTestStack({ clock, schedulerConcurrency: 1 });
}, 60_000);
afterAll(() => stack.stop());

it('a task whose packed notices are truncated fails its own notice only, not the batch it is read with', async () => {
  const api = await stack.as(TENANT);
  await api.put('/settings', { firm: { name: 'Korrupt AS' }, emailSender: { from: 'post@korrupt.example' }, version: 0 });
  const customer = await createCustomer(api, { email: 'post@kunde.example' });
  const tasks = [];
  for (let i = 0; i < 10; i += 1)
    tasks.push(await createTask(api, customer.id, { title: `frist ${i}`, deadline: '2030-02-10', notices: [emailNotice({ subject: '{{task.title}}' })] }));

  const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  const table = stack.config.TABLE_NAME;
  const key = { pk: keys.tenant(TENANT), sk: keys.task(tasks[0]!.id) };
  const item = (await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item!;
  const packed = item[PACKED_NOTICES] as Uint8Array;
  expect(packed).toBeInstanceOf(Uint8Array);
  await db.send(new PutCommand({ TableName: table, Item: { ...item, [PACKED_NOTICES]: packed.subarray(0, Math.floor(packed.length / 2)) } }));

  clock.set(DUE);
  await stack.scheduler.runDue();
  expect(stack.dispatchQueue.list()).toHaveLength(10);
  await stack.dispatchSource.runDue();

  const [invocation] = stack.dispatchSource.invocations;
  expect(invocation!.messageIds).toHaveLength(10);
  expect(invocation!.failed).toHaveLength(1);
  const subjects = (await stack.outbox()).emails.map((e) => e.subject).sort();
  expect(subjects).toEqual(
    tasks
      .slice(1)
      .map((t) => t.title as string)
      .sort(),
  );
}, 120_000);
