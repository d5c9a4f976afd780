import { afterAll, beforeAll, expect, it } from 'vitest';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import { SEND_WAIT_BUDGET_MS } from '../../shared/use-cases/send-pacing.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

/**
 * FAILS TODAY: dispatch reports a notice the rate had no place for in batchItemFailures, like
 * any transient failure. The fix: a message whose only retries sent nothing for the rate
 * (`send-rate`, or a provider throttle) goes back as a new message (same body and group,
 * delayed), so its receives start again and only real failures count toward the dead-letter
 * queue; the firm's maximum lateness still bounds it. Issue 12: SES throttling and pacing are
 * absorbed as pacing, never as failures or
 * dead letters. A burst longer than maxReceiveCount × visibility timeout (160 × 180 s = 8 h)
 * at the configured SES rate (100,000 notices at 3/s take over 9 h) leaves the last notices
 * finding no place in the rate at every receive: dispatch reports them in batchItemFailures,
 * each receive counts, and after 160 of them SQS moves the message to the dead-letter queue
 * (its alarm fires on the first), although nothing failed but the wait.
 *
 * The rest of the burst is stood in for by the pacer's shared counter: before each receive
 * the seconds of the send's whole wait are already taken, as other containers' sends take them.
 */
const clock = new TestClock(new Date('2030-02-01T10:00:00Z'));
const DUE = '2030-02-07T08:00:00Z';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ clock, env: { SES_SENDS_PER_SECOND: '3' } });
}, 60_000);
afterAll(() => stack.stop());

/**
 * Takes every place of the SES lane from now to past a send's whole wait, as the rest of the
 * burst does; the last second it took (the pacer's seconds are the wall clock's, not the test's).
 */
async function burstHoldsThePlaces(): Promise<number> {
  const from = Math.floor(Date.now() / 1000);
  const last = from + SEND_WAIT_BUDGET_MS / 1000 + 2;
  for (let second = from; second <= last; second += 1) await stack.sendingPorts.store.reserveSendSlots('ses', second, 3);
  return last;
}

/** The burst is over once the wall clock is past the last second it took. */
async function wallClockPasses(second: number): Promise<void> {
  while (Date.now() < (second + 1) * 1000) await new Promise((resolve) => setTimeout(resolve, 250));
}

it('keeps a notice that waits for its place in the rate for longer than the receives allow out of the dead-letter queue, and sends it once there is room', async () => {
  const api = await stack.as('firm-late-in-burst');
  await api.put('/settings', { firm: { name: 'Sist i køen AS' }, emailSender: { from: 'post@sist.example' }, version: 0 });
  const customer = await createCustomer(api, { email: 'post@kunde.example' });
  const task = await createTask(api, customer.id, { title: 'sist i køen', deadline: '2030-02-10', notices: [emailNotice({ subject: '{{task.title}}' })] });
  clock.set(DUE);

  // 161 receives, 3 minutes apart (8 h): the burst holds every place each time.
  let heldUntil = 0;
  for (let receive = 0; receive <= DISPATCH_QUEUE.maxReceiveCount; receive += 1) {
    heldUntil = await burstHoldsThePlaces();
    await stack.runDue();
    clock.advance((DISPATCH_QUEUE.visibilityTimeoutSeconds + 1) * 1000);
  }
  expect((await stack.outbox()).emails).toHaveLength(0);
  expect(stack.metrics.sum('NoticeRetried', { Reason: 'send-rate' })).toBeGreaterThan(0);
  expect(stack.dispatchDeadLetters.list()).toHaveLength(0);

  // The burst is over: the notice goes out, once, and was never failed.
  await wallClockPasses(heldUntil);
  await stack.runDue();
  clock.advance((DISPATCH_QUEUE.visibilityTimeoutSeconds + 1) * 1000);
  await stack.runDue();
  expect((await stack.outbox()).emails.map((e) => e.subject)).toEqual(['sist i køen']);
  const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
  expect(delivery).toMatchObject({ channel: 'email', state: 'sent' });
  expect(stack.metrics.sum('NoticeFailed')).toBe(0);
}, 300_000);
