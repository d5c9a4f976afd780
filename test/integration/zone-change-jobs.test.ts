import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { JOBS_QUEUE } from '../../shared/jobs-queue.ts';
import type { ReconcileReport } from '../../shared/use-cases/reconcile-schedules.ts';
import { TestClock } from './clock.ts';
import { startTestStack, type TestStack } from './harness.ts';
import { changeZone, firmWithTasks, JobsObserver, zonesOf } from './jobs-harness.ts';

// A change of time zone re-plans the firm's open tasks in the background, in steps of the
// jobs queue: these are the ways such a job can go wrong, and what it does then.
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
const jobs = new JobsObserver();
let stack: TestStack;
let reconcile: () => Promise<ReconcileReport>;

const drainJobs = () => stack.jobsSource.runDue();
const progressOf = async (api: { get(path: string): Promise<{ body: any }> }) => (await api.get('/settings')).body.timeZoneChange;
const outcomes = (jobId: string) => jobs.stepsOf(jobId).map((s) => s.outcome);

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapJobPorts: jobs.wrap });
  const handler = createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 });
  reconcile = () => handler({}, {} as never);
});
afterAll(() => stack.stop());

describe('a firm with 60 open tasks changes its time zone', () => {
  let firm: Awaited<ReturnType<typeof firmWithTasks>>;
  let jobId: string;

  it('gets its answer at once, with the job queued and nothing re-planned inside the request', async () => {
    firm = await firmWithTasks(stack, 'firm-sixty', 60);
    const schedules = firm.taskIds.flatMap((id) => stack.schedulesOf('firm-sixty', id).map((s) => s.Name));
    const invocations = stack.jobsSource.invocations.length;

    const res = await changeZone(firm.api, 'America/New_York');

    expect(res.status).toBe(200);
    expect(res.body.timeZoneChange).toMatchObject({ state: 'queued', timeZone: 'America/New_York', replanned: 0, failed: 0 });
    jobId = res.body.timeZoneChange.jobId;
    expect(stack.jobsQueue.list().map((m) => JSON.parse(m.body))).toEqual([{ tenantId: 'firm-sixty', jobId, step: 0 }]);
    expect(stack.jobsSource.invocations).toHaveLength(invocations);
    expect(await zonesOf(stack, 'firm-sixty', firm.taskIds)).toEqual({ 'Europe/Oslo': 60 });
    expect(firm.taskIds.flatMap((id) => stack.schedulesOf('firm-sixty', id).map((s) => s.Name))).toEqual(schedules);
  });

  it('is re-planned in steps of at most 25 once the queue is drained, and the settings say done with the counts', async () => {
    await drainJobs();

    expect(jobs.stepsOf(jobId).map((s) => [s.outcome, s.tasks])).toEqual([
      ['running', 25],
      ['running', 25],
      ['done', 10],
    ]);
    expect(await zonesOf(stack, 'firm-sixty', firm.taskIds)).toEqual({ 'America/New_York': 60 });
    expect(stack.schedulesOf('firm-sixty', firm.taskIds[0]!).map((s) => s.ScheduleExpression)).toEqual(['at(2027-02-07T14:00:00)']);
    expect(await progressOf(firm.api)).toMatchObject({ jobId, state: 'done', replanned: 60, failed: 0 });
  });
});

describe('a job that goes wrong', () => {
  it('takes a step again that crashed half-way, and counts its tasks once', async () => {
    const { api, taskIds } = await firmWithTasks(stack, 'firm-crash', 30);
    jobs.crashNextStep();
    const { jobId } = (await changeZone(api, 'Asia/Tokyo')).body.timeZoneChange;

    await drainJobs();
    // The first step re-planned its 25 tasks and died before it recorded them.
    expect(stack.jobsSource.invocations.at(-1)).toMatchObject({ failed: [expect.any(String)] });
    expect(await zonesOf(stack, 'firm-crash', taskIds)).toEqual({ 'Asia/Tokyo': 25, 'Europe/Oslo': 5 });
    expect(await progressOf(api)).toMatchObject({ state: 'queued', replanned: 0 });

    // SQS hands the message out again once its visibility timeout has passed.
    clock.advance(JOBS_QUEUE.visibilityTimeoutSeconds * 1000);
    await drainJobs();

    expect(outcomes(jobId)).toEqual(['running', 'done']);
    expect(await zonesOf(stack, 'firm-crash', taskIds)).toEqual({ 'Asia/Tokyo': 30 });
    expect(await progressOf(api)).toMatchObject({ state: 'done', replanned: 30, failed: 0 });
  });

  it('counts a step delivered twice once: the copy that records last loses the conditional write', async () => {
    const { api, taskIds } = await firmWithTasks(stack, 'firm-twice', 30);
    const { jobId } = (await changeZone(api, 'Asia/Tokyo')).body.timeZoneChange;
    // SQS delivers at least once: the same step comes a second time, both run at once, and
    // one of them is slow to record, until the other has finished the whole job.
    stack.jobsQueue.send(stack.jobsQueue.list()[0]!.body);
    jobs.holdNextStepUntilDone();

    await drainJobs();

    expect(outcomes(jobId).sort()).toEqual(['done', 'lost', 'running']);
    expect(await progressOf(api)).toMatchObject({ state: 'done', replanned: 30, failed: 0 });
    expect(await zonesOf(stack, 'firm-twice', taskIds)).toEqual({ 'Asia/Tokyo': 30 });
    for (const id of taskIds) expect(stack.schedulesOf('firm-twice', id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-02-07T00:00:00)']);
  });

  it('is sent again by the reconciler when its first message never left', async () => {
    const { api, taskIds } = await firmWithTasks(stack, 'firm-unsent', 10);
    stack.sqs.failNext('ServiceUnavailable', 2); // both attempts of the client

    const res = await changeZone(api, 'Asia/Tokyo');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ timeZone: 'Asia/Tokyo', timeZoneChange: { state: 'queued' } });
    expect(stack.jobsQueue.list()).toEqual([]);

    // Not before it has stood still for a while: a message may still be on its way.
    expect(await reconcile()).toMatchObject({ jobsRestarted: 0, jobsFailed: 0 });
    clock.advance(JOBS_QUEUE.stalledAfterSeconds * 1000 + 60_000);
    expect(await reconcile()).toMatchObject({ jobsRestarted: 1, jobsFailed: 0 });
    await drainJobs();

    expect(await progressOf(api)).toMatchObject({ state: 'done', replanned: 10 });
    expect(await zonesOf(stack, 'firm-unsent', taskIds)).toEqual({ 'Asia/Tokyo': 10 });
  });

  it('answers in seconds when SQS takes its message but not its time to answer, and runs the step once', { timeout: 20_000 }, async () => {
    const { api, taskIds } = await firmWithTasks(stack, 'firm-slow-queue', 5);
    stack.sqs.answerAfter(10_000, 2); // both attempts of the client; SQS keeps both messages

    const started = Date.now();
    const res = await changeZone(api, 'Asia/Tokyo');
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(res.body).toMatchObject({ timeZone: 'Asia/Tokyo', timeZoneChange: { state: 'queued' } });
    expect(stack.jobsQueue.list()).toHaveLength(2);

    await drainJobs();

    expect(outcomes(res.body.timeZoneChange.jobId).sort()).toEqual(['done', expect.stringMatching(/^(lost|stale)$/)]);
    expect(await progressOf(api)).toMatchObject({ state: 'done', replanned: 5 });
    expect(await zonesOf(stack, 'firm-slow-queue', taskIds)).toEqual({ 'Asia/Tokyo': 5 });
  });

  it('gives way to a second change made before it ran: the first ends superseded', async () => {
    const { api, taskIds } = await firmWithTasks(stack, 'firm-twice-moved', 30);
    const first = (await changeZone(api, 'America/New_York')).body.timeZoneChange;
    const second = (await changeZone(api, 'Asia/Tokyo')).body.timeZoneChange;

    await drainJobs();

    expect(outcomes(first.jobId)).toEqual(['superseded']);
    expect(await stack.ports.store.getJob('firm-twice-moved', first.jobId)).toMatchObject({ state: 'superseded', replanned: 0 });
    expect(await progressOf(api)).toMatchObject({ jobId: second.jobId, state: 'done', replanned: 30 });
    expect(await zonesOf(stack, 'firm-twice-moved', taskIds)).toEqual({ 'Asia/Tokyo': 30 });
  });

  it('is given up as failed after the reconciler sent it in vain three times', async () => {
    const { api } = await firmWithTasks(stack, 'firm-no-queue', 3);
    stack.sqs.failNext('QueueDoesNotExist', 1 + JOBS_QUEUE.maxRestarts);
    await changeZone(api, 'Asia/Tokyo');

    const reports: Pick<ReconcileReport, 'jobsRestarted' | 'jobsFailed'>[] = [];
    for (let run = 0; run <= JOBS_QUEUE.maxRestarts; run += 1) {
      clock.advance(JOBS_QUEUE.stalledAfterSeconds * 1000 + 60_000);
      const { jobsRestarted, jobsFailed } = await reconcile();
      reports.push({ jobsRestarted, jobsFailed });
    }

    expect(reports).toEqual(Array(JOBS_QUEUE.maxRestarts + 1).fill({ jobsRestarted: 0, jobsFailed: 1 }));
    expect(await progressOf(api)).toMatchObject({ state: 'failed', replanned: 0, finishedAt: expect.any(String) });
    clock.advance(JOBS_QUEUE.stalledAfterSeconds * 1000 + 60_000);
    expect(await reconcile()).toMatchObject({ jobsRestarted: 0, jobsFailed: 0 });
  });
});
