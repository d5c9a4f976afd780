import { afterAll, beforeAll, expect, it } from 'vitest';
import { SES_CONNECTION_TIMEOUT_MS } from '../../shared/adapters/ses-client.ts';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import { AFTER_SEND_MS } from '../../shared/use-cases/send-delivery.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type TestStack } from './harness.ts';

/**
 * A send's wait for its place in the SES rate is bounded by the time the invocation has left,
 * not only by the pacer's own budget: Lambda stops the function at its timeout, and a send cut
 * off there leaves its outcome unknown. Here the function has 12 s, SES's call up to 4 s (3 s to
 * connect, 1 s to answer) and the writes after it AFTER_SEND_MS: a send may start at most
 * 3 s into the invocation. The rate's next free place is 6 s away, well within the pacer's
 * budget (12 s): the send must end as `send-rate` without reaching SES, its message must come
 * back (a batch item failure, not a timed-out invocation), and once the places are free it is
 * sent, once.
 */
const TIMEOUT_MS = 12_000;
const SES_TIMEOUT_MS = 1_000;
const clock = new TestClock(new Date('2030-02-01T10:00:00Z'));
const DUE = '2030-02-07T08:00:00Z';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ clock, dispatchTimeoutMs: TIMEOUT_MS, env: { SES_SENDS_PER_SECOND: '1', SES_TIMEOUT_MS: String(SES_TIMEOUT_MS) } });
}, 60_000);
afterAll(() => stack.stop());

/** Takes the SES lane's place in each of the next `seconds` seconds of the wall clock (the pacer's); the last second taken. */
async function othersTakeThePlaces(seconds: number): Promise<number> {
  const from = Math.floor(Date.now() / 1000);
  for (let second = from; second < from + seconds; second += 1) await stack.sendingPorts.store.reserveSendSlots('ses', second, 1);
  return from + seconds - 1;
}

async function wallClockPasses(second: number): Promise<void> {
  while (Date.now() < (second + 1) * 1000) await new Promise((resolve) => setTimeout(resolve, 250));
}

it('ends a send that could not be over before the invocation is stopped as send-rate, without calling SES, and sends it on a later receive', async () => {
  // The bounds the scenario relies on: a send may start no later than 3 s into the invocation.
  expect(TIMEOUT_MS - AFTER_SEND_MS - SES_CONNECTION_TIMEOUT_MS - SES_TIMEOUT_MS).toBe(3_000);
  const api = await stack.as('firm-send-deadline');
  await api.put('/settings', { firm: { name: 'Fristen AS' }, emailSender: { from: 'post@fristen.example' }, version: 0 });
  const customer = await createCustomer(api, { email: 'post@kunde.example' });
  const task = await createTask(api, customer.id, { title: 'rett før stopp', deadline: '2030-02-10', notices: [emailNotice({ subject: '{{task.title}}' })] });
  clock.set(DUE);

  const busyUntil = await othersTakeThePlaces(6);
  await stack.runDue();
  const [invocation] = stack.dispatchSource.invocations;
  expect(invocation).toEqual({ messageIds: [expect.any(String)], failed: invocation!.messageIds });
  expect((await stack.outbox()).emails).toHaveLength(0);
  const [waiting] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
  expect(waiting).toMatchObject({ channel: 'email', state: 'pending', code: 'send-rate' });
  expect(waiting.possibleDuplicate).toBeUndefined();
  expect(stack.metrics.sum('NoticeRetried', { Reason: 'send-rate' })).toBe(1);

  // The places are free again: the message comes back and is sent, once, never failed.
  await wallClockPasses(busyUntil);
  clock.advance((DISPATCH_QUEUE.visibilityTimeoutSeconds + 1) * 1000);
  await stack.runDue();
  expect((await stack.outbox()).emails.map((e) => e.subject)).toEqual(['rett før stopp']);
  const [sent] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
  expect(sent).toMatchObject({ channel: 'email', state: 'sent' });
  expect(sent.possibleDuplicate).toBeUndefined();
  expect(stack.dispatchDeadLetters.list()).toHaveLength(0);
  expect(stack.metrics.sum('NoticeFailed')).toBe(0);
}, 60_000);
