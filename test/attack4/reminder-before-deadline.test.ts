import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * A reminder before a deadline must come before it. Quiet hours hold an SMS to the window's
 * end, which for a before-notice late in the evening is the morning after the deadline, and
 * with business days a Friday-evening reminder of a Saturday deadline went out on Monday.
 */
const TENANT = 'firm-reminder-before';
const clock = new TestClock(new Date('2027-02-01T10:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let customerId: string;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as(TENANT);
  const saved = await api.put('/settings', {
    emailSender: { from: 'varsel@tallogtid.example' },
    smsAccount: { username: 'tallogtid', password: 'hemmelig' },
    sendOn: 'businessDays',
    version: 0,
  });
  expect(saved.status).toBe(200);
  customerId = (await createCustomer(api, { mobile: '91234567' })).id;
});
afterAll(() => stack.stop());

async function planOf(taskId: string) {
  return (await api.get(`/tasks/${taskId}/plan`)).body.occurrences as Record<string, any>[];
}

/** Moves the clock to each instant in turn and sends what is due; the SMS sent by then, counted. */
async function smsSentBy(at: string): Promise<number> {
  clock.set(at);
  await stack.runDue();
  return (await stack.outbox()).sms.length;
}

describe('a reminder by SMS before a deadline late in the evening', () => {
  it('goes out at 20:30, before the quiet hours, not at 08:00 the morning after the deadline', async () => {
    await stack.clearOutbox();
    const task = await createTask(api, customerId, {
      deadline: '2027-04-12T23:59:00+02:00',
      notices: [emailNotice({ offset: 'PT2H', channels: ['email', 'sms'] })],
    });
    expect((await planOf(task.id)).map((o) => [o.local, o.channels, o.movedBecause ?? []])).toEqual([
      ['2027-04-12T20:30+02:00', ['sms'], [{ kind: 'quiet-hours' }]],
      ['2027-04-12T21:59+02:00', ['email'], []],
    ]);
    expect(await smsSentBy('2027-04-12T18:29:00Z')).toBe(0);
    expect(await smsSentBy('2027-04-12T18:30:00Z')).toBe(1);
    expect(await smsSentBy('2027-04-13T06:00:00Z')).toBe(1);
    expect((await stack.outbox()).emails).toHaveLength(1);
  });
});

describe('a reminder by SMS the evening before a Saturday deadline, under business days', () => {
  it('goes out on Friday at 20:30, not on Monday two days after the deadline', async () => {
    await stack.clearOutbox();
    const task = await createTask(api, customerId, {
      deadline: '2027-05-08T10:00:00+02:00',
      notices: [emailNotice({ offset: 'PT12H', channels: ['sms'] })],
    });
    expect((await planOf(task.id)).map((o) => [o.local, o.movedFromLocal])).toEqual([['2027-05-07T20:30+02:00', '2027-05-07T22:00+02:00']]);
    expect(await smsSentBy('2027-05-07T18:30:00Z')).toBe(1);
    expect(await smsSentBy('2027-05-10T06:30:00Z')).toBe(1);
  });
});

describe('a retry of a reminder by SMS that runs into the quiet hours before its deadline', () => {
  it('is given up as too late, not held to the morning after the deadline', async () => {
    await stack.clearOutbox();
    const task = await createTask(api, customerId, {
      deadline: '2027-06-14T23:59:00+02:00',
      notices: [emailNotice({ offset: 'PT3H', channels: ['sms'] })],
    });
    expect((await planOf(task.id)).map((o) => o.local)).toEqual(['2027-06-14T20:59+02:00']);
    // The gateway fails at 20:59; the queue brings the message back at 21:02, inside the window.
    stack.sms.failNext(503, 1);
    expect(await smsSentBy('2027-06-14T18:59:00Z')).toBe(0);
    clock.advance(180_000);
    await stack.runDue();
    const [occurrence] = await planOf(task.id);
    expect(occurrence!.deliveries).toEqual([
      expect.objectContaining({ channel: 'sms', state: 'failed', reason: expect.stringContaining('past the deadline it reminds of') }),
    ]);
    expect(stack.dispatchQueue.list()).toHaveLength(0);
    // Nothing goes out in the morning after the deadline, whatever the reconciler looks at.
    clock.set('2027-06-15T06:05:00Z');
    await createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 48, graceMinutes: 0 })({}, {} as never);
    expect(await smsSentBy('2027-06-15T06:10:00Z')).toBe(0);
  });

  it('is held to the window’s end when that is still before the deadline', async () => {
    await stack.clearOutbox();
    const task = await createTask(api, customerId, {
      deadline: '2027-06-17T10:00:00+02:00',
      notices: [emailNotice({ offset: 'PT13H1M', channels: ['sms'] })],
    });
    expect((await planOf(task.id)).map((o) => o.local)).toEqual(['2027-06-16T20:59+02:00']);
    stack.sms.failNext(503, 1);
    expect(await smsSentBy('2027-06-16T18:59:00Z')).toBe(0);
    clock.advance(180_000);
    await stack.runDue();
    expect((await planOf(task.id))[0]!.deliveries).toEqual([
      { channel: 'sms', state: 'pending', reason: "held by the firm's quiet hours until 2027-06-17T06:00:00Z" },
    ]);
  });
});
