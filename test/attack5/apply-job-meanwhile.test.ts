import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { JOBS_QUEUE } from '../../shared/jobs-queue.ts';
import { TestClock } from '../integration/clock.ts';
import { emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';
import { firmWithTasks, JobsObserver } from '../integration/jobs-harness.ts';

// What the firm (and the queue) do while an apply job runs: a task deleted just before the
// job writes it, the template deleted and changed after the request, a step whose message is
// lost for good.
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
const jobs = new JobsObserver();
const TENANT = 'firm-meanwhile';
let stack: TestStack;
let api: ApiClient;
let taskIds: string[];

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapJobPorts: jobs.wrap });
  ({ api, taskIds } = await firmWithTasks(stack, TENANT, 6));
}, 60_000);
afterAll(() => stack.stop());

const reconcile = () => createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 })({}, {} as never);

describe('an apply job while the firm works on', () => {
  it('skips a task deleted just before the job writes it, and applies the version the request read after the template is changed and deleted', async () => {
    const template = (await api.post('/templates', { name: 'Uke', notices: [emailNotice({ offset: 'P7D' })] })).body;
    clock.advance(1000);
    const [deleted, kept] = [taskIds[0]!, taskIds[1]!];
    jobs.beforeTaskWrite(deleted, async () => {
      expect((await api.delete(`/tasks/${deleted}`)).status).toBe(200);
    });
    const job = (await api.post(`/templates/${template.id}/apply`, { taskIds: [deleted, kept] })).body;
    const changed = await api.put(`/templates/${template.id}`, { name: 'Dag', notices: [emailNotice({ offset: 'P1D' })], version: 1 });
    expect(changed.status).toBe(200);
    expect((await api.delete(`/templates/${template.id}`)).status).toBe(204);
    await stack.jobsSource.runDue();

    expect((await api.get(`/jobs/${job.id}`)).body).toMatchObject({
      state: 'done',
      done: 1,
      skipped: 1,
      failed: 0,
      problems: [{ taskId: deleted, outcome: 'skipped', code: 'not-found' }],
    });
    expect((await api.get(`/tasks/${deleted}`)).status).toBe(404);
    expect(stack.schedulesOf(TENANT, deleted)).toEqual([]);
    const task = (await api.get(`/tasks/${kept}`)).body;
    expect(task.template).toMatchObject({ id: template.id, version: 1 });
    expect(task.notices.map((n: { offset: string }) => n.offset)).toEqual(['P7D']);
  });

  it('reports no task as changed when two applies of the same template race over the same tasks', async () => {
    const template = (await api.post('/templates', { name: 'Dobbel', notices: [emailNotice({ offset: 'P5D' })] })).body;
    clock.advance(1000);
    const ids = taskIds.slice(4, 6);
    const a = await api.post(`/templates/${template.id}/apply`, { taskIds: ids });
    clock.advance(1000);
    const b = await api.post(`/templates/${template.id}/apply`, { taskIds: ids });
    clock.advance(1000);
    await stack.jobsSource.runDue();

    const [jobA, jobB] = await Promise.all([a, b].map(async (r) => (await api.get(`/jobs/${r.body.id}`)).body));
    expect([jobA.failed, jobB.failed]).toEqual([0, 0]);
    expect(jobA.done + jobB.done).toBe(2);
    expect(jobA.skipped + jobB.skipped).toBe(2);
    for (const id of ids) expect((await api.get(`/tasks/${id}`)).body).toMatchObject({ version: 2, template: { id: template.id, version: 1 } });
  });

  it('is given up with a reason when its step message is lost for good and every hand-out is lost too', async () => {
    const template = (await api.post('/templates', { name: 'Tapt', notices: [emailNotice({ offset: 'P2D' })] })).body;
    clock.advance(1000);
    const job = (await api.post(`/templates/${template.id}/apply`, { taskIds: taskIds.slice(2, 4) })).body;
    // Every message of the job is lost (as if each went to the dead-letter queue).
    const lose = () => stack.jobsQueue.receive(100).forEach((m) => stack.jobsQueue.delete(m.receiptHandle));
    lose();
    for (let run = 0; run <= JOBS_QUEUE.maxRestarts; run += 1) {
      clock.advance(16 * 60_000);
      await reconcile();
      lose();
    }
    const given = (await api.get(`/jobs/${job.id}`)).body;
    expect(given).toMatchObject({ state: 'failed', done: 0, reason: expect.stringMatching(/handed out again/) });
    expect(given.finishedAt).toBeDefined();
  });
});
