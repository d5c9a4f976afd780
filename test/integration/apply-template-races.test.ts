import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';
import { firmWithTasks, JobsObserver } from './jobs-harness.ts';

// A template applied while the firm keeps working, and while SQS does what it may: hand a
// step out twice at once, or answer two copies of the same request at the same moment.
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
const jobs = new JobsObserver();
const TENANT = 'firm-races';
let stack: TestStack;
let api: ApiClient;
let taskIds: string[];
let templateId: string;

const versionsOf = async (ids: string[]) => (await Promise.all(ids.map((id) => stack.ports.store.getTask(TENANT, id)))).map((t) => t!.version);

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapJobPorts: jobs.wrap });
  ({ api, taskIds } = await firmWithTasks(stack, TENANT, 30));
  templateId = (await api.post('/templates', { name: 'Standard', notices: [emailNotice({ offset: 'P7D' })] })).body.id;
  clock.advance(1000);
});
afterAll(() => stack.stop());

describe('applying a template while other things happen', () => {
  it('reports a task the firm saved between the job reading it and writing it, and keeps what the firm saved', async () => {
    const target = taskIds[3]!;
    jobs.beforeTaskWrite(target, async () => {
      clock.advance(1000);
      const task = (await api.get(`/tasks/${target}`)).body;
      expect((await api.patch(`/tasks/${target}`, { title: 'Endret samtidig', version: task.version })).status).toBe(200);
    });
    const res = await api.post(`/templates/${templateId}/apply`, { taskIds: taskIds.slice(0, 10) });
    await stack.jobsSource.runDue();

    const job = (await api.get(`/jobs/${res.body.id}`)).body;
    expect(job).toMatchObject({ state: 'done', done: 9, failed: 1, problems: [{ taskId: target, outcome: 'failed', code: 'changed' }] });
    const task = (await api.get(`/tasks/${target}`)).body;
    expect(task).toMatchObject({ title: 'Endret samtidig', version: 2 });
    expect(task.template).toBeUndefined();
    expect(stack.schedulesOf(TENANT, target).map((s) => s.ScheduleExpression)).toEqual(['at(2027-02-07T08:00:00)']);
  });

  it('writes each task once when SQS hands the same step out twice at once', async () => {
    const ids = taskIds.slice(10, 20);
    const res = await api.post(`/templates/${templateId}/apply`, { taskIds: ids });
    stack.jobsQueue.send(JSON.stringify({ tenantId: TENANT, jobId: res.body.id, step: 0 }));
    await stack.jobsSource.runDue();

    expect(
      jobs
        .stepsOf(res.body.id)
        .map((s) => s.outcome)
        .sort(),
    ).toEqual(['done', expect.stringMatching(/^(lost|stale)$/)]);
    expect((await api.get(`/jobs/${res.body.id}`)).body).toMatchObject({ state: 'done', done: 10, skipped: 0, failed: 0 });
    expect(await versionsOf(ids)).toEqual(ids.map(() => 2));
  });

  it('starts one job for two copies of one request sent at the same moment', async () => {
    const ids = taskIds.slice(20, 25);
    const send = () => api.call('POST', `/templates/${templateId}/apply`, { taskIds: ids }, { 'idempotency-key': 'twice-at-once' });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.id).toBe(b.body.id);
    await stack.jobsSource.runDue();
    expect((await api.get(`/jobs/${a.body.id}`)).body).toMatchObject({ state: 'done', done: 5 });
    expect(await versionsOf(ids)).toEqual(ids.map(() => 2));
  });

  it('lists the ids it could not do, with the rules a save of that task refused', async () => {
    const noDeadline = await createTask(api, (await api.get(`/tasks/${taskIds[0]}`)).body.customerId, { deadline: undefined, notices: [] });
    clock.advance(1000);
    const res = await api.post(`/templates/${templateId}/apply`, { taskIds: [noDeadline.id, 'nosuchtask000000', taskIds[25]] });
    await stack.jobsSource.runDue();

    const problems = (await api.get(`/jobs/${res.body.id}/problems`)).body.items;
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          taskId: noDeadline.id,
          outcome: 'failed',
          code: 'invalid',
          message: expect.any(String),
          errors: [{ field: 'notices', rule: 'deadline-required', message: expect.any(String) }],
        },
        { taskId: 'nosuchtask000000', outcome: 'skipped', code: 'not-found', message: expect.any(String) },
      ]),
    );
    expect((await api.get(`/jobs/${res.body.id}`)).body).toMatchObject({ done: 1, skipped: 1, failed: 1, total: 3 });
  });

  it("goes through the register's filters: one customer's tasks with the clock mark", async () => {
    const customerId = (await api.get(`/tasks/${taskIds[0]}`)).body.customerId;
    const res = await api.post(`/templates/${templateId}/apply`, { filter: { customerId, hasNotices: true, status: 'open' } });
    await stack.jobsSource.runDue();
    // The 30 tasks with notices (not the one without a deadline): 25 applied above are up to
    // date; the one the firm changed during the first job and the 4 never applied are done.
    expect((await api.get(`/jobs/${res.body.id}`)).body).toMatchObject({ state: 'done', done: 5, skipped: 25, failed: 0, problems: [] });
  });
});
