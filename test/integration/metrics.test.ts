import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-metrics';
const clock = new TestClock(new Date('2027-04-01T10:00:00Z'));

let stack: TestStack;
let api: ApiClient;
let customerId: string;

/** A task whose e-mail notice is due a minute from now. */
const dueTask = () => {
  clock.set('2027-04-01T10:00:00Z');
  return createTask(api, customerId, { deadline: '2027-04-01T10:01:00Z', notices: [emailNotice({ offset: 'PT0S' })] });
};

/** The notice's time comes: the Scheduler emulator fires it and dispatch takes it from the queue. */
async function fireDue() {
  clock.set('2027-04-01T10:01:00Z');
  await stack.runDue();
}

const count = (...args: Parameters<TestStack['metrics']['sum']>) => stack.metrics.sum(...args);

beforeAll(async () => {
  stack = await startTestStack({ clock, injectFaults: true });
  api = await stack.as(TENANT);
  await api.put('/settings', { emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
  customerId = (await createCustomer(api, { name: 'Måling AS', email: 'post@maling.example' })).id;
});
afterAll(() => stack.stop());
beforeEach(() => stack.metrics.clear());

describe('what dispatch counts', () => {
  it('counts a sent notice by its channel', async () => {
    await dueTask();
    await fireDue();
    expect(count('NoticeSent', { Channel: 'email' })).toBe(1);
    expect(stack.metrics.all.map((m) => m.fn)).toEqual(['dispatch']);
  });

  it('counts a permanent SES refusal as failed, by channel and code', async () => {
    await dueTask();
    stack.sesFaults!.failNext(400, 'MessageRejected');
    await fireDue();
    expect(count('NoticeFailed', { Channel: 'email', Reason: 'ses-message-rejected' })).toBe(1);
    expect(count('NoticeSent')).toBe(0);
    expect(count('NoticeRetried')).toBe(0);
  });

  it('counts a transient SES failure as retried, then the send that followed', async () => {
    await dueTask();
    stack.sesFaults!.failNext(503, 'ServiceUnavailable');
    await fireDue();
    expect(count('NoticeRetried', { Channel: 'email', Reason: 'ses-unavailable' })).toBe(1);
    expect(count('NoticeFailed')).toBe(0);

    // The message comes back after the dispatch queue's visibility timeout.
    clock.advance(180_000);
    await stack.runDue();
    expect(count('NoticeSent', { Channel: 'email' })).toBe(1);
  });

  it('counts a call that ended without an answer as retried and as an unknown outcome: the customer may have it', async () => {
    await dueTask();
    stack.sesFaults!.loseResponseNext();
    await fireDue();
    expect(count('NoticeRetried', { Channel: 'email', Reason: 'connection-reset' })).toBe(1);
    expect(count('NoticeOutcomeUnknown', { Channel: 'email' })).toBe(1);
    clock.advance(180_000);
    await stack.runDue();
  });

  it('counts the skip of a completed task by its reason', async () => {
    const task = await dueTask();
    const [schedule] = stack.schedulesOf(TENANT, task.id);
    await api.post(`/tasks/${task.id}/complete`);
    // A schedule that survived the completion (a failed delete) fires all the same.
    await stack.scheduler.invokeTarget(schedule!.Target.Arn, JSON.parse(schedule!.Target.Input!));
    await fireDue();
    expect(count('NoticeSkipped', { Reason: 'task-completed' })).toBe(1);
    expect(count('NoticeSent')).toBe(0);
  });
});

describe('what the reconciler counts', () => {
  const reconcile = () => createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 })({}, {} as never);

  it('counts overdue channels and resent occurrences on every run, 0 included', async () => {
    clock.set('2027-04-01T12:00:00Z');
    await reconcile();
    expect(stack.metrics.all.filter((m) => m.fn === 'reconciler').map((m) => `${m.name} ${m.value}`)).toEqual(['NoticesOverdue 0', 'OccurrencesResent 0']);

    // The notice's time passes while nothing fires (the stack was down): over an hour later it is overdue.
    await dueTask();
    clock.set('2027-04-01T11:30:00Z');
    stack.metrics.clear();
    await reconcile();
    expect(count('NoticesOverdue')).toBe(1);
    expect(count('OccurrencesResent')).toBe(1);

    // The late schedule sends it; the next run finds nothing overdue.
    clock.advance(60_000);
    await stack.runDue();
    stack.metrics.clear();
    await reconcile();
    expect(count('NoticesOverdue')).toBe(0);
  });
});
