import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-moving';
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let customerId: string;

const expressions = (taskId: string) => stack.schedulesOf(TENANT, taskId).map((s) => s.ScheduleExpression);

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as(TENANT);
  await api.put('/settings', { version: 0 });
  customerId = (await createCustomer(api)).id;
});
afterAll(() => stack.stop());

describe('a change of the firm time zone', () => {
  it("answers at once, then moves every open task's notices to the new zone's wall clock in the background, and leaves completed tasks alone", async () => {
    const open = await createTask(api, customerId, { deadline: '2027-02-10', notices: [emailNotice({ sendAt: '09:00' })] });
    const done = await createTask(api, customerId, { deadline: '2027-02-10', notices: [emailNotice()] });
    await api.post(`/tasks/${done.id}/complete`);
    expect(expressions(open.id)).toEqual(['at(2027-02-07T08:00:00)']);

    const current = (await api.get('/settings')).body;
    const res = await api.put('/settings', { timeZone: 'America/New_York', version: current.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      timeZone: 'America/New_York',
      timeZoneChange: { state: 'queued', timeZone: 'America/New_York', replanned: 0, failed: 0 },
    });
    expect(res.body).not.toHaveProperty('replanned');
    // The request only queued the work: the task is as it was.
    expect((await api.get(`/tasks/${open.id}/plan`)).body.timeZone).toBe('Europe/Oslo');
    expect(expressions(open.id)).toEqual(['at(2027-02-07T08:00:00)']);

    await stack.runDue();

    const plan = (await api.get(`/tasks/${open.id}/plan`)).body;
    expect(plan).toMatchObject({ timeZone: 'America/New_York' });
    expect(plan.occurrences[0]).toMatchObject({ at: '2027-02-07T14:00:00Z', local: '2027-02-07T09:00-05:00', state: 'scheduled' });
    expect(expressions(open.id)).toEqual(['at(2027-02-07T14:00:00)']);
    expect((await api.get(`/tasks/${done.id}/plan`)).body.timeZone).toBe('Europe/Oslo');
    expect((await api.get('/settings')).body.timeZoneChange).toEqual({
      jobId: res.body.timeZoneChange.jobId,
      state: 'done',
      timeZone: 'America/New_York',
      replanned: 1,
      failed: 0,
      startedAt: '2027-01-10T08:00:00.000Z',
      updatedAt: '2027-01-10T08:00:00.000Z',
      finishedAt: '2027-01-10T08:00:00.000Z',
    });
  });

  it('starts nothing when the zone stays, and still shows the latest change', async () => {
    const current = (await api.get('/settings')).body;
    const res = await api.put('/settings', { timeZone: 'America/New_York', firm: { name: 'Nytt navn' }, version: current.version });
    expect(res.body.timeZoneChange).toEqual(current.timeZoneChange);
    expect(stack.jobsQueue.list()).toEqual([]);
  });

  it('lets the reconciler plan again a task the change did not reach', async () => {
    const task = await createTask(api, customerId, { deadline: '2027-01-10T12:00:00Z', notices: [emailNotice({ offset: 'PT1H' })] });
    // The zone changes behind the task's back, as when its job failed to re-plan it.
    const stored = (await stack.ports.store.getSettings(TENANT))!;
    await stack.ports.store.putSettings(TENANT, { ...stored, timeZone: 'Europe/London', version: stored.version + 1 }, stored.version);

    const report = await createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 })({}, {} as never);
    expect(report).toMatchObject({ replanned: 1, failed: 0 });
    expect((await api.get(`/tasks/${task.id}/plan`)).body.timeZone).toBe('Europe/London');
  });
});
