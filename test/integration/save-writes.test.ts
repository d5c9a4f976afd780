import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * A save writes and calls only what changed: the API function's AWS calls are counted as the
 * SDK sends them (one per command, before its retries) while a PUT or PATCH goes through real
 * HTTP into the local stack.
 */
const TENANT = 'firm-save-writes';
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
const WRITES = ['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand'];

let stack: TestStack;
let api: ApiClient;
let customerId: string;
const calls: AwsCall[] = [];

beforeAll(async () => {
  stack = await startTestStack({ clock, recordAwsCalls: (fn, call) => fn === 'api' && calls.push(call) });
  api = await stack.as(TENANT);
  customerId = (await createCustomer(api)).id;
});
afterAll(() => stack.stop());
beforeEach(() => clock.set('2027-01-10T08:00:00Z'));

/** What a request cost: DynamoDB writes, and Scheduler calls by command. */
async function costOf<T>(request: () => Promise<T>): Promise<{ result: T; writes: string[]; scheduler: string[] }> {
  calls.length = 0;
  const result = await request();
  return {
    result,
    writes: calls.filter((c) => WRITES.includes(c.command)).map((c) => c.command),
    scheduler: calls.filter((c) => c.command.endsWith('ScheduleCommand')).map((c) => c.command),
  };
}

const reminder = () => emailNotice({ when: 'after', offset: 'P1D', subject: 'Purring', message: 'Fristen er passert.', repeat: { every: 7, times: 2 } });

/** A task with a before-notice and a repeated after-notice (4 occurrences, 4 schedules), as GET shows it. */
async function taskWithNotices() {
  const created = await createTask(api, customerId, { deadline: '2027-03-10', notices: [emailNotice(), reminder()] });
  return (await api.get(`/tasks/${created.id}`)).body;
}

/** The body a client that keeps what GET shows sends back. */
function putBody(task: Record<string, any>, changes: Record<string, unknown> = {}) {
  const { title, customerId: customer, deadline, responsible, description, notices, version } = task;
  return { title, customerId: customer, deadline, responsible, description, notices, version, ...changes };
}

const withoutIds = (notices: { id: string }[]) => notices.map(({ id: _id, ...rest }) => rest);

describe('a save that changes nothing', () => {
  it('PUT of the task as read writes nothing, calls no Scheduler and answers the stored task, same version', async () => {
    const task = await taskWithNotices();
    const schedules = stack.schedulesOf(TENANT, task.id).map((s) => s.Name);
    clock.advance(60_000);

    const { result, writes, scheduler } = await costOf(() => api.put(`/tasks/${task.id}`, putBody(task)));

    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ version: task.version, updatedAt: task.updatedAt, notices: task.notices, inFlight: [] });
    expect(writes).toEqual([]);
    expect(scheduler).toEqual([]);
    expect((await api.get(`/tasks/${task.id}`)).body).toEqual(task);
    expect(stack.schedulesOf(TENANT, task.id).map((s) => s.Name)).toEqual(schedules);
  });

  it('PATCH that sets a field to its own value writes nothing', async () => {
    const task = await taskWithNotices();

    const { result, writes, scheduler } = await costOf(() => api.patch(`/tasks/${task.id}`, { title: task.title, version: task.version }));

    expect(result.status).toBe(200);
    expect(result.body.version).toBe(task.version);
    expect([...writes, ...scheduler]).toEqual([]);
  });

  it('notices sent back without their ids are matched to the stored ones by content: no write, no Scheduler call, the same ids', async () => {
    const task = await taskWithNotices();

    const { result, writes, scheduler } = await costOf(() => api.put(`/tasks/${task.id}`, putBody(task, { notices: withoutIds(task.notices) })));

    expect(result.status).toBe(200);
    expect(result.body.version).toBe(task.version);
    expect(result.body.notices).toEqual(task.notices);
    expect([...writes, ...scheduler]).toEqual([]);
  });

  it('two equal notices without ids take the two stored ids, one each', async () => {
    const twins = await createTask(api, customerId, { deadline: '2027-03-10', notices: [emailNotice(), emailNotice()] });
    const task = (await api.get(`/tasks/${twins.id}`)).body;

    const { result, writes } = await costOf(() => api.put(`/tasks/${task.id}`, putBody(task, { notices: withoutIds(task.notices) })));

    expect(result.body.notices.map((n: { id: string }) => n.id)).toEqual(task.notices.map((n: { id: string }) => n.id));
    expect(writes).toEqual([]);
  });

  it('a completed task saved again after its notices would have gone out writes nothing', async () => {
    const task = await taskWithNotices();
    const completed = (await api.post(`/tasks/${task.id}/complete`)).body;
    clock.set('2027-04-01T08:00:00Z');

    const { result, writes, scheduler } = await costOf(() => api.put(`/tasks/${task.id}`, putBody(completed)));

    expect(result.body.version).toBe(completed.version);
    expect([...writes, ...scheduler]).toEqual([]);
  });

  it('two identical saves at once both answer the stored task and neither writes', async () => {
    const task = await taskWithNotices();

    const { result, writes } = await costOf(() => Promise.all([api.put(`/tasks/${task.id}`, putBody(task)), api.put(`/tasks/${task.id}`, putBody(task))]));

    expect(result.map((r) => [r.status, r.body.version])).toEqual([
      [200, task.version],
      [200, task.version],
    ]);
    expect(writes).toEqual([]);
  });

  it('a save with an old version is still refused, even if it would change nothing', async () => {
    const task = await taskWithNotices();
    const renamed = await api.put(`/tasks/${task.id}`, putBody(task, { title: 'Ny tittel' }));

    const stale = await api.put(`/tasks/${task.id}`, putBody(renamed.body, { version: task.version }));

    expect(stale.status).toBe(409);
  });
});

describe('a save that changes something', () => {
  it('a new title writes the task once and moves no schedule', async () => {
    const task = await taskWithNotices();

    const { result, writes, scheduler } = await costOf(() => api.put(`/tasks/${task.id}`, putBody(task, { title: 'MVA-melding 6. termin' })));

    expect(result.body.version).toBe(task.version + 1);
    expect(writes).toEqual(['PutItemCommand']);
    expect(scheduler).toEqual([]);
  });

  it('moving one notice creates its new schedule and deletes the old one, and touches no other', async () => {
    const task = await taskWithNotices();
    const before = stack.schedulesOf(TENANT, task.id).map((s) => s.Name);
    const [first, second] = task.notices;

    const { result, scheduler } = await costOf(() => api.put(`/tasks/${task.id}`, putBody(task, { notices: [{ ...first, offset: 'P5D' }, second] })));

    expect(result.status).toBe(200);
    expect(scheduler.sort()).toEqual(['CreateScheduleCommand', 'DeleteScheduleCommand']);
    const after = stack.schedulesOf(TENANT, task.id).map((s) => s.Name);
    expect(after.filter((name) => !before.includes(name))).toHaveLength(1);
    expect(before.filter((name) => !after.includes(name))).toHaveLength(1);
  });

  it('moving a notice whose time has passed creates its new schedule only: the old one fired and deleted itself', async () => {
    const task = await taskWithNotices();
    const [first, second] = task.notices;
    clock.set('2027-03-07T08:00:30Z'); // the first notice (3 days before 10 March) has fired

    const { result, scheduler } = await costOf(() => api.put(`/tasks/${task.id}`, putBody(task, { notices: [{ ...first, offset: 'P2D' }, second] })));

    expect(result.status).toBe(200);
    expect(scheduler).toEqual(['CreateScheduleCommand']);
  });

  it('a changed notice sent without ids is a new notice; the unchanged one keeps its id and its schedules', async () => {
    const task = await taskWithNotices();
    const [first, second] = withoutIds(task.notices);

    const { result, scheduler } = await costOf(() => api.put(`/tasks/${task.id}`, putBody(task, { notices: [{ ...first, offset: 'P5D' }, second] })));

    expect(result.body.notices[1].id).toBe(task.notices[1].id);
    expect(result.body.notices[0].id).not.toBe(task.notices[0].id);
    expect(scheduler.sort()).toEqual(['CreateScheduleCommand', 'DeleteScheduleCommand']);
  });
});
