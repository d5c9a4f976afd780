import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { scheduleName } from '../../shared/domain/schedule-names.ts';
import type { Ports } from '../../shared/ports.ts';
import { reconcileSchedules, type ReconcileReport } from '../../shared/use-cases/reconcile-schedules.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { dispatchEventOf, startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * What a reconciler run costs, counted call by call: a task whose schedules a sync confirmed
 * costs nothing until its time comes; only an unconfirmed one is listed; the due index is
 * written only when its entry changes.
 */
const TENANT = 'firm-reconcile-costs';
const clock = new TestClock(new Date('2027-09-01T06:00:00Z'));
const calls: AwsCall[] = [];
const apiCalls: AwsCall[] = [];

let stack: TestStack;
let api: ApiClient;
let customerId: string;
/** Tests only: makes the api's next calls of confirmSchedules do this first. */
const beforeConfirm: ((version: number) => Promise<void>)[] = [];
const confirmAnswers: boolean[] = [];

beforeAll(async () => {
  stack = await startTestStack({
    clock,
    recordAwsCalls: (fn, call) => (fn === 'reconciler' ? calls : fn === 'api' ? apiCalls : []).push(call),
    wrapPorts: (ports: Ports) => ({
      ...ports,
      store: Object.assign(Object.create(ports.store) as Ports['store'], {
        confirmSchedules: async (tenantId: string, taskId: string, version: number) => {
          await beforeConfirm.shift()?.(version);
          const answer = await ports.store.confirmSchedules(tenantId, taskId, version);
          confirmAnswers.push(answer);
          return answer;
        },
      }),
    }),
  });
  api = await stack.as(TENANT);
  customerId = (await createCustomer(api)).id;
});
afterAll(() => stack.stop());

async function run(options: Partial<Parameters<typeof reconcileSchedules>[1]> = {}): Promise<{ report: ReconcileReport; calls: Record<string, number> }> {
  calls.length = 0;
  const report = await reconcileSchedules(stack.reconcilerPorts, { horizonHours: 3, graceMinutes: 15, ...options });
  const counted: Record<string, number> = {};
  for (const call of calls) counted[call.command] = (counted[call.command] ?? 0) + 1;
  return { report, calls: counted };
}

const schedulerCalls = (counted: Record<string, number>) =>
  Object.entries(counted)
    .filter(([command]) => /Schedule/.test(command))
    .reduce((sum, [, n]) => sum + n, 0);

/** As a save leaves a task whose sync did not finish (it crashed before its mark, or a Scheduler call failed). */
async function unconfirm(taskId: string) {
  const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  await db.send(
    new UpdateCommand({ TableName: stack.config.TABLE_NAME, Key: { pk: `T#${TENANT}`, sk: `K#${taskId}` }, UpdateExpression: 'REMOVE schedulesConfirmed' }),
  );
}

const dueSoon = (title: string, deadline: string) => createTask(api, customerId, { title, deadline, notices: [emailNotice({ offset: 'PT0S' })] });

describe('the reconciler costs what is uncertain, not what is due', () => {
  it('spends no Scheduler call and no write on tasks whose saves confirmed their schedules', async () => {
    for (let i = 0; i < 12; i += 1) await dueSoon(`Confirmed ${i}`, '2027-09-01T08:00:00Z');
    const { report, calls: counted } = await run();
    expect(report).toMatchObject({ tasks: 12, checked: 0, created: 0, advanced: 0, failed: 0 });
    expect(schedulerCalls(counted)).toBe(0);
    expect((counted.UpdateItemCommand ?? 0) + (counted.PutItemCommand ?? 0)).toBe(0);
  });

  it('marks a save in its own write, whether it adds schedules or moves them', async () => {
    apiCalls.length = 0;
    const task = await dueSoon('Marked in its write', '2027-09-01T08:10:00Z');
    const writes = () => apiCalls.filter((c) => c.command === 'PutItemCommand' || c.command === 'UpdateItemCommand').map((c) => c.command);
    // The customer's count of tasks, and the task's register mark (attention-marks.ts).
    expect(writes().filter((c) => c === 'UpdateItemCommand')).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
    apiCalls.length = 0;
    expect((await api.put(`/tasks/${task.id}`, { ...taskBody(await current(task.id)), deadline: '2027-09-01T08:20:00Z' })).status).toBe(200);
    expect(writes()).toEqual(['PutItemCommand']); // the task, with its mark
    expect((await run()).report).toMatchObject({ checked: 0 });
  });

  it('lists an unconfirmed task once, repairs and confirms it; the next run lists nothing', async () => {
    const task = await dueSoon('Unconfirmed', '2027-09-01T08:30:00Z');
    for (const s of stack.schedulesOf(TENANT, task.id)) stack.scheduler.schedules.delete(`${s.GroupName}/${s.Name}`);
    await unconfirm(task.id);

    const first = await run();
    expect(first.report).toMatchObject({ checked: 1, created: 1, confirmed: 1, failed: 0 });
    expect(first.calls).toMatchObject({ ListSchedulesCommand: 1, CreateScheduleCommand: 1 });
    expect(stack.schedulesOf(TENANT, task.id)).toHaveLength(1);

    const second = await run();
    expect(second.report).toMatchObject({ checked: 0, confirmed: 0 });
    expect(schedulerCalls(second.calls)).toBe(0);
  });

  it("does not let a save's late mark confirm a newer version whose own sync did not finish", async () => {
    const task = await dueSoon('Version race', '2027-09-01T08:45:00Z');
    confirmAnswers.length = 0;
    // Save A (version 2) found its schedule existing already (a retry of a save whose answer
    // was lost: its mark is a write of its own, after the re-create) and is about to mark;
    // meanwhile save B (version 3) does the same and dies before its own mark. A's mark,
    // landing last, names version 2.
    beforeConfirm.push(async () => {
      await existingAlready(task.id, task.notices[0]!.id, '2027-09-01T08:50:00Z');
      const b = await api.put(`/tasks/${task.id}`, { ...taskBody(await current(task.id)), deadline: '2027-09-01T08:50:00Z' });
      expect(b.status).toBe(200);
    });
    beforeConfirm.push(async () => {
      throw new Error('save B died before its mark');
    });
    await existingAlready(task.id, task.notices[0]!.id, '2027-09-01T08:46:00Z');
    const a = await api.put(`/tasks/${task.id}`, { ...taskBody(await current(task.id)), deadline: '2027-09-01T08:46:00Z' });
    expect(a.status).toBe(200);
    expect(confirmAnswers).toEqual([false]);

    const { report, calls: counted } = await run();
    expect(report).toMatchObject({ checked: 1, confirmed: 1, failed: 0 });
    expect(counted.ListSchedulesCommand).toBe(1);
    expect(stack.schedulesOf(TENANT, task.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-09-01T08:50:00)']);
  });

  it('writes the due index only when its entry changes: once when an occurrence is sent, not on the runs after', async () => {
    const task = await dueSoon('Sent', '2027-09-01T09:30:00Z');
    await createTask(api, customerId, { title: 'Still to come', deadline: '2027-09-01T10:00:00Z', notices: [emailNotice({ offset: 'PT0S' })] });
    clock.set('2027-09-01T09:30:30Z');
    await stack.runDue();
    expect((await stack.reconcilerPorts.store.listDeliveries(TENANT, task.id)).map((d) => d.state)).toEqual(['sent']);

    const first = await run();
    expect(first.report.advanced).toBeGreaterThanOrEqual(1);
    const entryOf = async (id: string) => (await stack.reconcilerPorts.store.queryDueTasks('0000', '9999')).find((d) => d.task.id === id);
    expect(await entryOf(task.id)).toBeUndefined();
    const second = await run();
    expect(second.report).toMatchObject({ advanced: 0, failed: 0 });
    expect(second.calls.UpdateItemCommand ?? 0).toBe(0);
    expect(schedulerCalls(second.calls)).toBe(0);
  });

  it('rewrites no unchanged entry of a task it looks at: an occurrence not final yet, an unconfirmed task', async () => {
    clock.set('2027-09-01T11:00:00Z');
    await stack.runDue(); // what the tests above left due goes out
    await run();
    const waiting = await dueSoon('Not final yet', '2027-09-01T11:00:00Z');
    const unconfirmed = await dueSoon('Unconfirmed, same entry', '2027-09-01T12:00:00Z');
    await unconfirm(unconfirmed.id);
    clock.set('2027-09-01T11:02:00Z'); // its time came; the queue still has it (within the grace)

    const { report, calls: counted } = await run();
    expect(report).toMatchObject({ checked: 1, confirmed: 1, resent: 0, advanced: 0, failed: 0 });
    // The one write is the mark; the entries stay as they were.
    expect(counted.UpdateItemCommand).toBe(1);
    expect(counted.QueryCommand).toBeGreaterThanOrEqual(1); // the waiting occurrence's delivery records
    void waiting;
  });

  it('leaves what its time budget does not reach to the next run, as deferred, not failed', async () => {
    clock.set('2027-09-01T13:00:00Z');
    const task = await dueSoon('Over budget', '2027-09-01T14:00:00Z');
    await unconfirm(task.id);
    await dueSoon('Confirmed, costs nothing', '2027-09-01T14:00:00Z');
    const over = await run({ budgetMs: -1 });
    expect(over.report).toMatchObject({ checked: 0, failed: 0 });
    // Deferred: the tasks that needed a look (the unconfirmed one among them), not the confirmed one whose time has not come.
    expect(over.report.deferred).toBeGreaterThanOrEqual(1);
    expect(over.report.deferred).toBeLessThan(over.report.tasks);
    expect(schedulerCalls(over.calls)).toBe(0);
    expect((await run()).report).toMatchObject({ checked: 1, confirmed: 1, deferred: 0 });
  });

  it('rides out a Scheduler that throttles: every task repaired, none failed, the throttles retried', async () => {
    clock.set('2027-09-02T06:00:00Z');
    const tasks = [];
    for (let i = 0; i < 8; i += 1) tasks.push(await dueSoon(`Throttled ${i}`, '2027-09-02T08:00:00Z'));
    for (const task of tasks) {
      for (const s of stack.schedulesOf(TENANT, task.id)) stack.scheduler.schedules.delete(`${s.GroupName}/${s.Name}`);
      await unconfirm(task.id);
    }
    stack.scheduler.throttled = 0;
    stack.scheduler.throttleAbove(2);
    try {
      // Paced faster than the stand-in's quota, so it throttles.
      const { report } = await run({ schedulerCallsPerSecond: 100 });
      expect(report).toMatchObject({ checked: 8, created: 8, confirmed: 8, failed: 0, deferred: 0 });
    } finally {
      stack.scheduler.throttleAbove(undefined);
    }
    expect(stack.scheduler.throttled).toBeGreaterThan(0);
    for (const task of tasks) expect(stack.schedulesOf(TENANT, task.id)).toHaveLength(1);
  }, 60_000);
});

/**
 * The schedule a save is about to create, made already by the same Scheduler adapter (a first
 * attempt whose answer was lost), so it holds what AWS would: the fair queue's SendMessage request.
 */
async function existingAlready(taskId: string, noticeId: string, at: string) {
  const [model] = stack.schedulesOf(TENANT, taskId);
  const input = { ...dispatchEventOf(model!), occurrenceAt: at };
  await stack.reconcilerPorts.scheduler.create({ name: scheduleName(TENANT, taskId, noticeId, 0, at), at, input });
}

async function current(taskId: string) {
  return (await api.get(`/tasks/${taskId}`)).body;
}

function taskBody(task: any) {
  const { title, customerId: customer, deadline, version } = task;
  const notices = task.notices.map(({ id, when, offset, channels, subject, message }: any) => ({ id, when, offset, channels, subject, message }));
  return { title, customerId: customer, deadline, version, notices };
}
