import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const clock = new TestClock(new Date('2030-01-01T10:00:00Z'));

let stack: TestStack;
const dispatchCalls: AwsCall[] = [];

beforeAll(async () => {
  stack = await startTestStack({ clock, recordAwsCalls: (fn, call) => fn === 'dispatch' && dispatchCalls.push(call) });
});
afterAll(() => stack.stop());

type Key = { pk: { S: string }; sk: { S: string } };

/** The keys a call reads: GetItem's one, BatchGetItem's list (its input as sent: attribute values typed). */
function keysRead(call: AwsCall): Key[] {
  if (call.command === 'GetItemCommand') return [call.input.Key as Key];
  if (call.command !== 'BatchGetItemCommand') return [];
  return Object.values(call.input.RequestItems as Record<string, { Keys: Key[] }>).flatMap((request) => request.Keys);
}

const reads = () => dispatchCalls.filter((call) => keysRead(call).length > 0);
/** How many times dispatch read the item of this firm and sort key. */
const readsOf = (tenantId: string, sortKey: string) =>
  dispatchCalls.flatMap(keysRead).filter((key) => key.pk.S === keys.tenant(tenantId) && key.sk.S === sortKey).length;

async function firm(tenantId: string): Promise<ApiClient> {
  const api = await stack.as(tenantId);
  await api.put('/settings', { firm: { name: `Regnskap ${tenantId}` }, emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
  return api;
}

it('reads a batch of 10 notices of 3 firms in 3 calls (tasks; customers and settings; tasks after the claims), consistently', async () => {
  // Firm a: 4 notices of one customer; b: 3 of three customers; c: 3 of one.
  const plan = { 'firm-a': [0, 0, 0, 0], 'firm-b': [0, 1, 2], 'firm-c': [0, 0, 0] };
  const tasks: { tenantId: string; taskId: string; customerId: string }[] = [];
  for (const [tenantId, customersOf] of Object.entries(plan)) {
    const api = await firm(tenantId);
    const customers = [];
    for (let i = 0; i <= Math.max(...customersOf); i += 1)
      customers.push(await createCustomer(api, { name: `Kunde ${i} AS`, email: `kunde${i}@${tenantId}.example` }));
    for (const [n, i] of customersOf.entries()) {
      const task = await createTask(api, customers[i]!.id, { title: `MVA-melding ${n}`, deadline: '2030-02-10' });
      tasks.push({ tenantId, taskId: task.id, customerId: customers[i]!.id });
    }
  }
  // All ten notices fall due at once: the event source mapping hands them to dispatch in one batch of 10.
  clock.set('2030-02-07T08:00:30Z');
  dispatchCalls.length = 0;
  await stack.runDue();

  expect((await stack.outbox()).emails).toHaveLength(10);
  expect(dispatchCalls.filter((c) => c.command === 'GetItemCommand')).toEqual([]);
  const batchReads = reads();
  for (const call of batchReads) expect(Object.values(call.input.RequestItems as object)).toEqual([expect.objectContaining({ ConsistentRead: true })]);
  // 1: the 10 tasks; 2: their 5 customers and the 3 firms' settings; then the tasks again after the claims.
  expect(keysRead(batchReads[0]!).map((k) => k.sk.S)).toEqual(tasks.map((t) => keys.task(t.taskId)));
  expect(
    keysRead(batchReads[1]!)
      .map((k) => k.sk.S)
      .sort(),
  ).toEqual(
    [...new Set(tasks.map((t) => `${t.tenantId} ${t.customerId}`))]
      .map((k) => keys.customer(k.split(' ')[1]!))
      .concat(Array(3).fill(keys.settings()))
      .sort(),
  );
  for (const { tenantId, taskId, customerId } of tasks) {
    expect(readsOf(tenantId, keys.task(taskId))).toBe(2);
    expect(readsOf(tenantId, keys.customer(customerId))).toBe(1);
    // The second read of the task is made after its claim was written.
    const claimAt = dispatchCalls.findIndex((c) => c.command === 'UpdateItemCommand' && (c.input.Key as Key).sk.S.includes(taskId));
    const againAt = dispatchCalls.findLastIndex((c) => keysRead(c).some((k) => k.sk.S === keys.task(taskId)));
    expect(claimAt).toBeGreaterThan(-1);
    expect(againAt).toBeGreaterThan(claimAt);
  }
  for (const tenantId of Object.keys(plan)) expect(readsOf(tenantId, keys.settings())).toBe(1);
  // The reads after the claims wait for every claim of the batch, and go in one call too.
  expect(batchReads).toHaveLength(3);
  // The 10 notice.sent events: one SendMessageBatch.
  const sqs = dispatchCalls.filter((c) => c.service === 'SQSClient');
  expect(sqs.map((c) => c.command)).toEqual(['SendMessageBatchCommand']);
  expect(sqs[0]!.input.Entries).toHaveLength(10);
});

it('reads the settings and each customer once for a batch that has several of their notices', async () => {
  const api = await firm('firm-batch-reads');
  const twice = await createCustomer(api, { name: 'Fjord Bakeri AS', email: 'post@fjordbakeri.example' });
  const once = await createCustomer(api, { name: 'Ærlig Øl AS', email: 'post@erlig.example' });
  for (const [customer, title] of [
    [twice, 'MVA-melding'],
    [twice, 'Skattemelding'],
    [once, 'A-melding'],
  ] as const) {
    await createTask(api, customer.id, { title, deadline: '2030-03-10' });
  }
  clock.set('2030-03-07T08:00:30Z');
  await stack.runDue();

  const emails = (await stack.outbox()).emails.filter((e) => e.to[0]!.includes('.example>') && !e.to[0]!.includes('firm-'));
  expect(emails.map((e) => e.to[0]).sort()).toEqual([
    '"Fjord Bakeri AS" <post@fjordbakeri.example>',
    '"Fjord Bakeri AS" <post@fjordbakeri.example>',
    '"Ærlig Øl AS" <post@erlig.example>',
  ]);
  expect(readsOf('firm-batch-reads', keys.customer(twice.id))).toBe(1);
  expect(readsOf('firm-batch-reads', keys.customer(once.id))).toBe(1);
  expect(readsOf('firm-batch-reads', keys.settings())).toBe(1);
});
