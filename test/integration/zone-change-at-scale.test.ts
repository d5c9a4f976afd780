import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS_QUEUE } from '../../shared/jobs-queue.ts';
import { TestClock } from './clock.ts';
import { startTestStack, type TestStack } from './harness.ts';
import { changeZone, firmWithTasks, JobsObserver, zonesOf } from './jobs-harness.ts';

const TENANT = 'firm-thousand';
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
const jobs = new JobsObserver();
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ clock, wrapJobPorts: jobs.wrap });
});
afterAll(() => stack.stop());

describe('a firm with 1,000 open tasks', () => {
  it('answers at once, then re-plans every task in steps of at most 25, each its own invocation', { timeout: 120_000 }, async () => {
    const { api, taskIds } = await firmWithTasks(stack, TENANT, 1_000);

    const started = Date.now();
    const res = await changeZone(api, 'America/New_York');
    const answeredInMs = Date.now() - started;
    expect(res.body.timeZoneChange).toMatchObject({ state: 'queued', replanned: 0 });
    expect(answeredInMs).toBeLessThan(2_000);

    await stack.jobsSource.runDue();

    const steps = jobs.stepsOf(res.body.timeZoneChange.jobId);
    expect(JOBS_QUEUE.tasksPerStep).toBe(25);
    expect(steps.length).toBeGreaterThanOrEqual(40);
    expect(Math.max(...steps.map((s) => s.tasks))).toBeLessThanOrEqual(25);
    expect(stack.jobsSource.invocations.map((i) => i.messageIds.length)).toEqual(steps.map(() => 1));
    expect(steps.map((s) => s.outcome)).toEqual([...Array(steps.length - 1).fill('running'), 'done']);
    expect(steps.reduce((sum, s) => sum + s.replanned, 0)).toBe(1_000);
    expect((await api.get('/settings')).body.timeZoneChange).toMatchObject({ state: 'done', replanned: 1_000, failed: 0 });
    expect(await zonesOf(stack, TENANT, taskIds)).toEqual({ 'America/New_York': 1_000 });
  });
});
