import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask } from './fixtures.ts';
import { dispatchEventOf, startTestStack, type ApiClient, type TestStack } from './harness.ts';

const clock = new TestClock(new Date('2030-01-01T10:00:00Z'));

let stack: TestStack;
const dispatchCalls: AwsCall[] = [];
const schedulerCalls: AwsCall[] = [];

beforeAll(async () => {
  stack = await startTestStack({
    clock,
    recordAwsCalls: (fn, call) => {
      if (fn === 'dispatch') dispatchCalls.push(call);
      if (call.service === 'SchedulerClient') schedulerCalls.push(call);
    },
  });
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

it('reads a batch of 10 notices of 3 firms in 2 calls (tasks with the customers their messages name and the settings; tasks after the claims), consistently', async () => {
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
  // 1: the 10 tasks, the 5 customers their messages name and the 3 firms' settings; then the tasks again after the claims.
  expect(
    keysRead(batchReads[0]!)
      .map((k) => k.sk.S)
      .sort(),
  ).toEqual(
    [...new Set(tasks.map((t) => `${t.tenantId} ${t.customerId}`))]
      .map((k) => keys.customer(k.split(' ')[1]!))
      .concat(Array(3).fill(keys.settings()))
      .concat(tasks.map((t) => keys.task(t.taskId)))
      .sort(),
  );
  expect(keysRead(batchReads[1]!).map((k) => k.sk.S)).toEqual(tasks.map((t) => keys.task(t.taskId)));
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
  expect(batchReads).toHaveLength(2);
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

describe('the customer a message names (a hint read with the task)', () => {
  const TENANT = 'firm-hint';
  let api: ApiClient;
  let stranger: { id: string };

  beforeAll(async () => {
    api = await firm(TENANT);
    stranger = await createCustomer(await firm('firm-hint-other'), { name: 'Fremmed AS', email: 'post@fremmed.example' });
  });

  /** The only schedule of a task, and its message's customer. */
  const scheduleOf = (taskId: string) => stack.schedulesOf(TENANT, taskId)[0]!;

  /** Rewrites the message a task's schedule will hand the dispatch queue. */
  function rewriteMessage(taskId: string, change: (event: Record<string, unknown>) => Record<string, unknown>) {
    const schedule = scheduleOf(taskId);
    const request = JSON.parse(schedule.Target.Input!) as { MessageBody: string };
    const body = change(JSON.parse(request.MessageBody) as Record<string, unknown>);
    schedule.Target = { ...schedule.Target, Input: JSON.stringify({ ...request, MessageBody: JSON.stringify(body) }) };
  }

  /** Fires the task's schedule; returns dispatch's calls that read items, and the e-mails sent. */
  async function fire(taskId: string) {
    const expression = scheduleOf(taskId).ScheduleExpression;
    await stack.clearOutbox();
    clock.set(`${expression.slice(3, -1)}Z`);
    dispatchCalls.length = 0;
    await stack.runDue();
    return { reads: reads(), emails: (await stack.outbox()).emails.map((e) => e.to[0]) };
  }

  /** A task due in its own week, so that each test's schedule fires alone. */
  let week = 0;
  const dueTask = async (customerId: string) =>
    createTask(api, customerId, { deadline: `2031-0${1 + Math.floor(week / 4)}-${String(5 + 7 * (week++ % 4)).padStart(2, '0')}` });

  it('reads the task, its customer and the settings in one call, then the task after the claim', async () => {
    const customer = await createCustomer(api, { name: 'Fjord Bakeri AS', email: 'post@fjordbakeri.example' });
    const task = await dueTask(customer.id);
    const fired = await fire(task.id);
    expect(fired.emails).toEqual(['"Fjord Bakeri AS" <post@fjordbakeri.example>']);
    expect(fired.reads.map((call) => keysRead(call).map((k) => k.sk.S))).toEqual([
      expect.arrayContaining([keys.task(task.id), keys.customer(customer.id)]),
      [keys.task(task.id)],
    ]);
  });

  it('sends to the customer a task was given to after its schedule was written, never to the one the schedule names', async () => {
    const before = await createCustomer(api, { name: 'Gammel Kunde AS', email: 'post@gammel.example' });
    const after = await createCustomer(api, { name: 'Ny Kunde AS', email: 'post@ny.example' });
    const task = await dueTask(before.id);
    schedulerCalls.length = 0;
    const moved = await api.patch(`/tasks/${task.id}`, { customerId: after.id, version: task.version });
    expect(moved.status).toBe(200);
    // The plan is the same: no Scheduler call, and the schedule still names the customer it was written for.
    expect(schedulerCalls).toEqual([]);
    expect(dispatchEventOf(scheduleOf(task.id)).customerId).toBe(before.id);

    const fired = await fire(task.id);
    expect(fired.emails).toEqual(['"Ny Kunde AS" <post@ny.example>']);
    // The rare case costs one read more: the task's own customer, after the task.
    expect(fired.reads.map((call) => keysRead(call).map((k) => k.sk.S))).toEqual([
      expect.arrayContaining([keys.task(task.id), keys.customer(before.id)]),
      [keys.customer(after.id)],
      [keys.task(task.id)],
    ]);
    const deliveries = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect(deliveries.map((d) => `${d.state} ${d.customerId}`)).toEqual([`sent ${after.id}`]);
  });

  it('still sends a message that names no customer (a schedule written before the hint), reading the customer after the task', async () => {
    const customer = await createCustomer(api, { name: 'Ærlig Øl AS', email: 'post@erlig.example' });
    const task = await dueTask(customer.id);
    rewriteMessage(task.id, ({ customerId: _hint, ...event }) => event);
    const fired = await fire(task.id);
    expect(fired.emails).toEqual(['"Ærlig Øl AS" <post@erlig.example>']);
    expect(fired.reads.map((call) => keysRead(call).map((k) => k.sk.S))).toEqual([
      [keys.task(task.id)],
      expect.arrayContaining([keys.customer(customer.id)]),
      [keys.task(task.id)],
    ]);
  });

  it.each([
    ['a customer of another firm', 'other-firm'],
    ['a customer that does not exist', 'no-such-customer'],
  ])('sends to the task’s customer when the message names %s, reading nothing of another firm', async (_what, named) => {
    const customer = await createCustomer(api, { name: 'Riktig Kunde AS', email: 'post@riktig.example' });
    const task = await dueTask(customer.id);
    const hint = named === 'other-firm' ? stranger.id : named;
    rewriteMessage(task.id, (event) => ({ ...event, customerId: hint }));
    const fired = await fire(task.id);
    expect(fired.emails).toEqual(['"Riktig Kunde AS" <post@riktig.example>']);
    const keysOfTheCall = fired.reads.flatMap(keysRead);
    // The hint is read as an item of the message's firm, where it is not the task's customer.
    expect(keysOfTheCall.every((k) => k.pk.S === keys.tenant(TENANT))).toBe(true);
    expect(keysOfTheCall.map((k) => k.sk.S)).toContain(keys.customer(hint));
    const deliveries = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect(deliveries.map((d) => `${d.state} ${d.customerId}`)).toEqual([`sent ${customer.id}`]);
  });
  it('sends late, by the reconciler, a message dispatch rejects: what a version before the hint does with one that names the customer', async () => {
    const customer = await createCustomer(api, { name: 'Sen Kunde AS', email: 'post@sen.example' });
    const task = await dueTask(customer.id);
    // A field this dispatch does not know, as `customerId` is to the version before it (the schema is strict).
    rewriteMessage(task.id, (event) => ({ ...event, unknownToThisVersion: 'x' }));
    const fired = await fire(task.id);
    expect(fired.emails).toEqual([]);
    expect(await stack.ports.store.listDeliveries(TENANT, task.id)).toEqual([]);
    // The reconciler's run after its grace finds the occurrence due without a record and hands it again, in its own words.
    clock.advance(16 * 60_000);
    const reconcile = createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 });
    await reconcile({}, {} as never);
    clock.advance(60_000);
    await stack.runDue();
    expect((await stack.outbox()).emails.map((e) => e.to[0])).toEqual(['"Sen Kunde AS" <post@sen.example>']);
  });
});

describe('schedules written with DISPATCH_CUSTOMER_HINT=false (the first deploy of an upgrade: a dispatch before the hint may still run)', () => {
  const offClock = new TestClock(new Date('2030-01-01T10:00:00Z'));
  let off: TestStack;
  beforeAll(async () => {
    off = await startTestStack({ clock: offClock, env: { DISPATCH_CUSTOMER_HINT: 'false' } });
  });
  afterAll(() => off.stop());

  it('name no customer, as the messages of the version before, and their notices are sent', async () => {
    const api = await off.as('firm-hint-off');
    await api.put('/settings', { firm: { name: 'Regnskap' }, emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
    const customer = await createCustomer(api, { name: 'Fjord Bakeri AS', email: 'post@fjordbakeri.example' });
    const task = await createTask(api, customer.id, { deadline: '2030-02-10' });
    const [schedule] = off.schedulesOf('firm-hint-off', task.id);
    expect(Object.keys(dispatchEventOf(schedule!)).sort()).toEqual(['noticeId', 'occurrenceAt', 'planVersion', 'taskId', 'tenantId']);
    offClock.set(`${schedule!.ScheduleExpression.slice(3, -1)}Z`);
    await off.clearOutbox();
    await off.runDue();
    expect((await off.outbox()).emails.map((e) => e.to[0])).toEqual(['"Fjord Bakeri AS" <post@fjordbakeri.example>']);
  });
});
