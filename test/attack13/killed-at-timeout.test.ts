import { afterAll, beforeAll, expect, it } from 'vitest';
import { DISPATCH_QUEUE } from '../../shared/dispatch-queue.ts';
import type { Mailer } from '../../shared/ports.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

/**
 * Lambda stops dispatch at its timeout whatever it was doing, and the event source mapping
 * then deletes nothing: the whole batch comes back after the visibility timeout. Here the
 * function's timeout is cut to a few seconds and the invocation freezes mid-batch, as a stopped
 * one does: four notices sent and marked, one sent by SES but never marked, five claimed and
 * never sent. After the visibility timeout every notice is out, the four not again, the one
 * SES had twice (flagged), the five once (flagged: the retry cannot know SES never had them).
 */
const clock = new TestClock(new Date('2030-02-01T10:00:00Z'));
const DUE = '2030-02-07T08:00:00Z';
let stack: TestStack;
let turn = 0;
let frozen = true;
const never = new Promise<never>(() => undefined);

/** The first invocation's sends: the first four complete, the fifth reaches SES and freezes, the rest freeze before it. */
function freezing(mailer: Mailer): Mailer {
  return {
    sendRaw: async (email) => {
      if (!frozen) return mailer.sendRaw(email);
      const mine = (turn += 1);
      if (mine > 5) return never;
      const sent = await mailer.sendRaw(email);
      return mine === 5 ? never : sent;
    },
  };
}

beforeAll(async () => {
  stack = await startTestStack({
    clock,
    schedulerConcurrency: 1,
    dispatchTimeoutMs: 3_000,
    wrapSendingPorts: (ports) => ({ ...ports, mailer: freezing(ports.mailer) }),
  });
}, 60_000);
afterAll(() => stack.stop());

it('loses no notice of a batch stopped at its timeout, and sends again only those it cannot know were sent, flagged', async () => {
  const api = await stack.as('firm-timeout');
  await api.put('/settings', { firm: { name: 'Tidsavbrudd AS' }, emailSender: { from: 'post@tid.example' }, version: 0 });
  const customer = await createCustomer(api, { email: 'post@kunde.example' });
  const tasks = [];
  for (let i = 0; i < 10; i += 1)
    tasks.push(await createTask(api, customer.id, { title: `frist ${i}`, deadline: '2030-02-10', notices: [emailNotice({ subject: '{{task.title}}' })] }));

  clock.set(DUE);
  await stack.runDue();
  const [stopped] = stack.dispatchSource.invocations;
  // Ended by the handler's middleware a few milliseconds before the timeout (it reads the
  // context's remaining time, as on Lambda), or by the timeout itself: nothing deleted either way.
  expect(stopped).toMatchObject({ error: expect.stringMatching(/^(\[AbortError\]: The operation was aborted\.|Task timed out after 3\.00 seconds)$/) });
  expect(stopped!.failed).toHaveLength(10);
  expect((await stack.outbox()).emails).toHaveLength(5);

  // The stopped invocation stays stopped; the batch comes back after the visibility timeout, past the claims' lease.
  frozen = false;
  clock.advance((DISPATCH_QUEUE.visibilityTimeoutSeconds + 1) * 1000);
  await stack.runDue();

  const subjects = (await stack.outbox()).emails.map((e) => e.subject);
  expect(new Set(subjects).size).toBe(10);
  expect(subjects).toHaveLength(11);
  const deliveries = await Promise.all(tasks.map(async (task) => (await api.get(`/tasks/${task.id}/deliveries`)).body.items[0]));
  for (const delivery of deliveries) expect(delivery).toMatchObject({ channel: 'email', state: 'sent' });
  expect(deliveries.filter((d) => d.possibleDuplicate === true)).toHaveLength(6);
  expect(stack.dispatchQueue.list()).toHaveLength(0);
  expect(stack.dispatchDeadLetters.list()).toHaveLength(0);
  expect(stack.metrics.sum('NoticeFailed')).toBe(0);
}, 120_000);
