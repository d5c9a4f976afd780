import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';
import { firmWithTasks, JobsObserver } from './jobs-harness.ts';

/** A job's forty steps of 25 tasks each on dynalite: a time limit for a loaded machine (2 cores shared), not a time the job must meet. */
const STEPS_TIMEOUT_MS = 120_000;

// A firm's house standard applied to a thousand tasks in the background: each task is
// re-planned through the task save path once, a task the firm changed meanwhile is reported
// and left as the firm saved it, and a job killed half-way resumes with the same key.
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
const jobs = new JobsObserver();
const TENANT = 'firm-thousand';
let stack: TestStack;
let api: ApiClient;
let taskIds: string[];
let templateId: string;

const houseStandard = [
  emailNotice({ offset: 'P7D', subject: 'MVA-melding {{task.deadline}}', message: 'Hei {{customer.name}}, fristen er {{task.deadline}}.' }),
  emailNotice({ when: 'after', offset: 'P7D', subject: 'Purring', message: 'Fristen for {{task.title}} er passert.', repeat: { every: 7, times: 3 } }),
];
const apply = (body: unknown, key = 'apply-1') => api.call('POST', `/templates/${templateId}/apply`, body, { 'idempotency-key': key });
/** Every task's version, read 25 at a time: a thousand reads at once reset connections to the local table. */
const versions = async () => {
  const found: number[] = [];
  for (let i = 0; i < taskIds.length; i += 25) {
    const tasks = await Promise.all(taskIds.slice(i, i + 25).map((id) => stack.ports.store.getTask(TENANT, id)));
    found.push(...tasks.map((t) => t!.version));
  }
  return found;
};

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapJobPorts: jobs.wrap });
  ({ api, taskIds } = await firmWithTasks(stack, TENANT, 1000));
  const template = await api.post('/templates', { name: 'MVA-melding', notices: houseStandard });
  expect(template.status).toBe(201);
  templateId = template.body.id;
}, 120_000);
afterAll(() => stack.stop());

describe('a template applied to 1,000 tasks by their ids', () => {
  let jobId: string;
  const changedFirstHalf = () => taskIds[100]!;
  const changedSecondHalf = () => taskIds[900]!;

  it('answers 202 at once with the job queued, and no task changed inside the request', async () => {
    const res = await apply({ taskIds, templateVersion: 1 });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      kind: 'apply-template',
      state: 'queued',
      total: 1000,
      done: 0,
      skipped: 0,
      failed: 0,
      template: { id: templateId, version: 1 },
    });
    jobId = res.body.id;
    expect(new Set(await versions())).toEqual(new Set([1]));
  });

  it(
    'dies half-way (after re-planning the tasks of step 20, before recording them), and a task is changed by the firm meanwhile',
    async () => {
      jobs.crashAtStep(20);
      await stack.jobsSource.runDue();
      const job = (await api.get(`/jobs/${jobId}`)).body;
      expect(job).toMatchObject({ state: 'running', done: 500 });

      clock.advance(1000);
      const second = (await api.get(`/tasks/${changedSecondHalf()}`)).body;
      expect((await api.patch(`/tasks/${second.id}`, { title: 'MVA-melding (endret)', version: second.version })).status).toBe(200);
    },
    STEPS_TIMEOUT_MS,
  );

  it(
    'resumes when the request is sent again with the same key, and finishes',
    async () => {
      const again = await apply({ taskIds, templateVersion: 1 });
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(jobId);

      await stack.jobsSource.runDue();

      const job = (await api.get(`/jobs/${jobId}`)).body;
      expect(job).toMatchObject({ state: 'done', total: 1000, done: 999, skipped: 0, failed: 1, moreProblems: false });
      expect(job.problems).toEqual([
        { taskId: changedSecondHalf(), outcome: 'failed', code: 'changed', message: expect.stringContaining('saved after the job started') },
      ]);
    },
    STEPS_TIMEOUT_MS,
  );

  it('re-planned each task once: the changed one kept what the firm saved, every other moved one version', async () => {
    // 999 saved by the job once, the changed one by the firm once (and never by the job).
    expect(new Set(await versions())).toEqual(new Set([2]));
    const changed = await stack.ports.store.getTask(TENANT, changedSecondHalf());
    expect(changed).toMatchObject({ version: 2, title: 'MVA-melding (endret)' });
    expect(changed!.template).toBeUndefined();
    expect(changed!.notices).toHaveLength(1);
    expect(jobs.stepsOf(jobId).find((s) => s.step === 20 && s.outcome === 'running')).toMatchObject({ tasks: 25, replanned: 25 });
  });

  it("gives each task the template's notices, schedules and link, as a save of the task would", async () => {
    const task = (await api.get(`/tasks/${changedFirstHalf()}`)).body;
    expect(task.template).toEqual({ id: templateId, version: 1 });
    expect(task.notices.map((n: { message: string }) => n.message)).toEqual(houseStandard.map((n) => n.message));
    const plan = (await api.get(`/tasks/${changedFirstHalf()}/plan`)).body;
    expect(plan.occurrences).toHaveLength(5);
    expect(stack.schedulesOf(TENANT, changedFirstHalf())).toHaveLength(5);
  });

  it('answers the same job to a late retry, without running anything again', async () => {
    const steps = jobs.stepsOf(jobId).length;
    const again = await apply({ taskIds, templateVersion: 1 });
    await stack.jobsSource.runDue();
    expect(again.body).toMatchObject({ id: jobId, state: 'done' });
    expect(jobs.stepsOf(jobId)).toHaveLength(steps);
  });

  it('refuses the key with another request', async () => {
    const res = await apply({ taskIds: taskIds.slice(1), templateVersion: 1 });
    expect(res.status).toBe(409);
  });
});

describe('the template changes, and is applied again to the tasks that still follow it', () => {
  it(
    'updates the linked open tasks, leaves alone those changed by hand or completed, and says so',
    async () => {
      const [byHand, completed, unlinked] = [taskIds[0]!, taskIds[1]!, taskIds[900]!];
      clock.advance(1000);
      const task = (await api.get(`/tasks/${byHand}`)).body;
      const edited = await api.patch(`/tasks/${byHand}`, { notices: [emailNotice({ offset: 'P2D' })], version: task.version });
      expect(edited.body.template).toBeUndefined();
      expect((await api.post(`/tasks/${completed}/complete`)).status).toBe(200);
      const current = (await api.get(`/templates/${templateId}`)).body;
      const changed = await api.patch(`/templates/${templateId}`, { notices: [houseStandard[0]], version: current.version });
      expect(changed.body.version).toBe(2);

      clock.advance(1000);
      const res = await apply({ filter: {}, onlyLinked: true, templateVersion: 2 }, 'apply-2');
      await stack.jobsSource.runDue();

      const job = (await api.get(`/jobs/${res.body.id}`)).body;
      expect(job).toMatchObject({ state: 'done', done: 997, skipped: 3, failed: 0 });
      // Swept in by a filter and skipped by design: counted, not listed.
      expect((await api.get(`/jobs/${res.body.id}/problems`)).body.items).toEqual([]);
      for (const id of [byHand, completed, unlinked]) expect((await api.get(`/tasks/${id}`)).body.template?.version).not.toBe(2);
      const linked = (await api.get(`/tasks/${taskIds[500]}`)).body;
      expect(linked).toMatchObject({ template: { id: templateId, version: 2 }, version: 3 });
      expect(linked.notices).toHaveLength(1);
      expect(stack.schedulesOf(TENANT, taskIds[500]!)).toHaveLength(1);
    },
    STEPS_TIMEOUT_MS,
  );
});
