import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { backfillRegisterIndex } from '../../shared/adapters/register-index-backfill.ts';
import { TABLE } from '../../shared/adapters/table-layout.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import type { Task } from '../../shared/domain/model.ts';
import { createCustomer, createTask } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * The register's clock-mark and status filters over a firm with many tasks, nearly all with
 * notices and all of one customer: the few without are read from their own index (across the
 * firm, and within the customer), not filtered out of every task, so the first page costs the
 * same few DynamoDB calls however many tasks the firm or the customer has.
 */
const TENANT = 'firm-register-scale';
const WITH_NOTICES = 1500;
const clock = { now: () => new Date('2027-01-15T12:00:00Z') };

/** The indexes the register reads tasks from (a page also reads its rows' delivery records, a query per row). */
const TASK_INDEXES: string[] = [TABLE.indexes.register, TABLE.indexes.byCustomer, TABLE.indexes.byStatusNotices, TABLE.indexes.byCustomerStatusNotices].map(
  (index) => index.name,
);

let stack: TestStack;
let api: ApiClient;
let customer: string;
const calls: AwsCall[] = [];

/** A copy of a stored task under another id and deadline, written as a save writes it. */
function copyOf(task: Task, n: number, changes: Partial<Task> = {}): Task {
  const day = String((n % 28) + 1).padStart(2, '0');
  return { ...task, id: `${task.id}-${n}`, title: `Copy ${n}`, deadline: `2027-${String((n % 12) + 1).padStart(2, '0')}-${day}`, ...changes };
}

beforeAll(async () => {
  stack = await startTestStack({ clock, recordAwsCalls: (fn, call) => fn === 'api' && calls.push(call) });
  api = await stack.as(TENANT);
  customer = (await createCustomer(api, { name: 'Many AS' })).id;
  const model = (await stack.ports.store.getTask(TENANT, (await createTask(api, customer, { title: 'Model', deadline: '2027-06-01' })).id))!;
  for (let n = 0; n < WITH_NOTICES; n += 1) await stack.ports.store.putTask(TENANT, copyOf(model, n));
  const bare = { notices: [], plan: { ...model.plan, occurrences: [] } };
  await stack.ports.store.putTask(TENANT, copyOf(model, 9001, { ...bare, title: 'Bare open A', deadline: '2027-03-01' }));
  await stack.ports.store.putTask(TENANT, copyOf(model, 9002, { ...bare, title: 'Bare open B', deadline: '2027-09-01' }));
  await stack.ports.store.putTask(TENANT, copyOf(model, 9003, { ...bare, title: 'Bare open C', deadline: undefined }));
  await stack.ports.store.putTask(TENANT, copyOf(model, 9004, { ...bare, title: 'Bare done', deadline: '2027-05-01', status: 'completed' }));
}, 120_000);
afterAll(() => stack.stop());

/** Every page of a register query: titles per page, and what each page cost in index queries and reads by key (tasks, customers). */
async function pages(query: string): Promise<{ titles: string[][]; reads: number[] }> {
  const titles: string[][] = [];
  const reads: number[] = [];
  let cursor: string | undefined;
  do {
    calls.length = 0;
    const res = await api.get(`/tasks?${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    titles.push(res.body.items.map((t: { title: string }) => t.title));
    reads.push(
      calls.filter((c) => (c.command === 'QueryCommand' && TASK_INDEXES.includes(String(c.input.IndexName))) || c.command === 'BatchGetItemCommand').length,
    );
    cursor = res.body.nextCursor;
  } while (cursor);
  return { titles, reads };
}

describe(`the register's clock mark over ${WITH_NOTICES} tasks with notices`, () => {
  it('finds the open tasks without notices in one page of three reads: a query of their index, the tasks by key, their customers by key', async () => {
    const { titles, reads } = await pages('status=open&hasNotices=false&limit=5');
    expect(titles).toEqual([['Bare open A', 'Bare open B', 'Bare open C']]);
    expect(reads).toEqual([3]);
  });

  it('pages them in deadline order across both statuses, full pages and no cursor after the last', async () => {
    const { titles, reads } = await pages('hasNotices=false&limit=2');
    expect(titles).toEqual([
      ['Bare open A', 'Bare done'],
      ['Bare open B', 'Bare open C'],
    ]);
    expect(reads).toEqual([4, 4]); // a query of each status's partition, then the tasks and their customers
  });

  it("finds one customer's tasks without notices among its 1500 with notices in pages of four reads: a query of each status's partition, the tasks, their customer", async () => {
    const { titles, reads } = await pages(`customerId=${customer}&hasNotices=false&limit=2`);
    expect(titles).toEqual([
      ['Bare open A', 'Bare done'],
      ['Bare open B', 'Bare open C'],
    ]);
    expect(reads).toEqual([4, 4]);
  });

  it("finds one customer's completed task among its 1500 open ones in one page of four reads, and its open tasks without notices in three", async () => {
    expect(await pages(`customerId=${customer}&status=completed`)).toEqual({ titles: [['Bare done']], reads: [4] });
    expect(await pages(`customerId=${customer}&status=open&hasNotices=false&limit=5`)).toEqual({
      titles: [['Bare open A', 'Bare open B', 'Bare open C']],
      reads: [3],
    });
  });

  it('keeps a deadline range within the index', async () => {
    const { titles } = await pages('hasNotices=false&deadlineFrom=2027-04-01&deadlineTo=2027-12-31');
    expect(titles).toEqual([['Bare done', 'Bare open B']]);
  });

  it('fills a page of tasks with notices in a few reads too', async () => {
    const { titles, reads } = await pages('status=open&hasNotices=true&limit=100&deadlineFrom=2027-02-01&deadlineTo=2027-02-10');
    expect(titles.flat().length).toBeGreaterThan(0);
    expect(reads.every((n) => n <= 3)).toBe(true);
  });

  it('finds a task saved before the index existed once the backfill gave it its keys, and the backfill run again writes nothing', async () => {
    const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
    const old = copyOf((await stack.ports.store.getTask(TENANT, (await api.get('/tasks?limit=1')).body.items[0].id))!, 9005, {
      notices: [],
      plan: { timeZone: 'Europe/Oslo', plannedAt: '2027-01-01T00:00:00Z', occurrences: [] },
      title: 'Saved long ago',
      deadline: '2027-08-01',
    });
    await stack.ports.store.putTask(TENANT, old);
    await db.send(
      new UpdateCommand({
        TableName: stack.config.TABLE_NAME,
        Key: { pk: `T#${TENANT}`, sk: `K#${old.id}` },
        UpdateExpression: 'REMOVE gsi6pk, gsi6sk, gsi7pk, gsi7sk',
      }),
    );
    expect((await pages('status=open&hasNotices=false')).titles.flat()).not.toContain('Saved long ago');
    expect((await pages(`customerId=${customer}&status=open`)).titles.flat()).not.toContain('Saved long ago');

    expect(await backfillRegisterIndex(db, stack.config.TABLE_NAME)).toEqual({ scanned: 1, written: 1 });
    expect((await pages('status=open&hasNotices=false')).titles.flat()).toEqual(['Bare open A', 'Saved long ago', 'Bare open B', 'Bare open C']);
    expect((await pages(`customerId=${customer}&status=open&hasNotices=false`)).titles.flat()).toEqual([
      'Bare open A',
      'Saved long ago',
      'Bare open B',
      'Bare open C',
    ]);
    expect(await backfillRegisterIndex(db, stack.config.TABLE_NAME)).toEqual({ scanned: 0, written: 0 });
  });

  it('refuses a cursor of another partition of the firm', async () => {
    const first = await api.get('/tasks?status=open&limit=1');
    const res = await api.get(`/tasks?hasNotices=false&cursor=${first.body.nextCursor}`);
    expect(res.status).toBe(422);
  });
});
