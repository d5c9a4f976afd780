import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { DynamoDbStore } from '../../shared/adapters/dynamodb-store.ts';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import type { Task } from '../../shared/domain/model.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

/**
 * A keys-only index gives a page's keys; its items are then read by key. On AWS the index
 * lags the table (a global secondary index is eventually consistent) and the item may change
 * between the two reads: the item read is where the table has it now, which may no longer be
 * where the index listed it. Here the change is made between the Query and the BatchGetItem,
 * against the local DynamoDB, which is the state the index lag leaves on AWS.
 */
const TENANT = 'firm-keys-only-pages';
const clock = new TestClock(new Date('2027-03-01T10:00:00Z'));

let stack: TestStack;
let store: DynamoDbStore;
let tasks: Task[];
/** Run once, right before the next BatchGetItem goes out. */
let beforeBatchGet: (() => Promise<void>) | undefined;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const hook = context.commandName === 'BatchGetItemCommand' ? beforeBatchGet : undefined;
      if (hook) beforeBatchGet = undefined;
      await hook?.();
      return next(args);
    },
    { step: 'initialize', name: 'attack12BeforeBatchGet' },
  );
  store = new DynamoDbStore(db, stack.config.TABLE_NAME);
}, 60_000);
afterAll(() => stack.stop());

beforeEach(async () => {
  tenant = `${TENANT}-${(firms += 1)}`;
  const api = await stack.as(tenant);
  await api.put('/settings', { firm: { name: 'Tall & Tid AS' }, emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
  const customer = await createCustomer(api, { name: 'Fjord Bakeri AS', email: 'post@fjordbakeri.example' });
  const made = [];
  for (const day of ['01', '02', '03']) made.push(await createTask(api, customer.id, { title: `MVA ${day}`, deadline: `2027-04-${day}` }));
  tasks = await Promise.all(made.map(async (t) => (await store.getTask(tenant, t.id))!));
});
let tenant: string;
let firms = 0;

/** Writes the task as the api would, from its stored version. */
async function change(task: Task, to: Partial<Task>): Promise<void> {
  const stored = (await store.getTask(tenant, task.id))!;
  await store.putTask(tenant, { ...stored, ...to, version: stored.version + 1 }, stored.version);
}

it('does not list under status=open a task completed after the index listed it', async () => {
  beforeBatchGet = () => change(tasks[0]!, { status: 'completed' });
  const page = await store.queryTasks(tenant, { status: 'open', limit: 10 });
  expect(page.items.map((t) => [t.title, t.status])).toEqual([
    ['MVA 02', 'open'],
    ['MVA 03', 'open'],
  ]);
});

it('lists a task whose deadline moved while its page was read once, where it now belongs', async () => {
  const seen: string[] = [];
  let cursor: string | undefined;
  beforeBatchGet = () => change(tasks[0]!, { deadline: '2027-04-10' });
  do {
    const page = await store.queryTasks(tenant, { limit: 1, ...(cursor ? { cursor } : {}) });
    seen.push(...page.items.map((t) => `${t.title} ${t.deadline}`));
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen).toEqual(['MVA 02 2027-04-02', 'MVA 03 2027-04-03', 'MVA 01 2027-04-10']);
});
