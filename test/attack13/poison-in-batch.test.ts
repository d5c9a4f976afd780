import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

/**
 * One batch of 10 messages, three of them poison: a task deleted after its schedule fired, a
 * customer without an e-mail address, and a 40,000-character body that is no dispatch event.
 * Each must settle alone: the seven good notices sent once, the deleted task ignored, the
 * customer without address a recorded skip, and only the unreadable message reported failed
 * (it comes back, and after its receives goes to the dead-letter queue).
 */
const clock = new TestClock(new Date('2030-02-01T10:00:00Z'));
const DUE = '2030-02-07T08:00:00Z';
let stack: TestStack;

beforeAll(async () => {
  // One invocation at a time, so the ten messages are one batch.
  stack = await startTestStack({ clock, schedulerConcurrency: 1 });
}, 60_000);
afterAll(() => stack.stop());

it('settles each message of a batch alone: seven sent, a deleted task ignored, no address skipped, only the unreadable body failed', async () => {
  const api = await stack.as('firm-poison');
  await api.put('/settings', { firm: { name: 'Poison AS' }, emailSender: { from: 'post@poison.example' }, version: 0 });
  const withEmail = await createCustomer(api, { name: 'Har e-post', email: 'post@har.example' });
  // A task needs an address when it is saved: the customer loses it after the schedule fired.
  const withoutEmail = await createCustomer(api, { name: 'Uten e-post', email: 'post@uten.example', mobile: '91230001' });
  const notice = [emailNotice({ subject: '{{task.title}}' })];
  const good = [];
  for (let i = 0; i < 7; i += 1) good.push(await createTask(api, withEmail.id, { title: `god ${i}`, deadline: '2030-02-10', notices: notice }));
  const deleted = await createTask(api, withEmail.id, { title: 'slettet', deadline: '2030-02-10', notices: notice });
  const noAddress = await createTask(api, withoutEmail.id, { title: 'uten adresse', deadline: '2030-02-10', notices: notice });

  clock.set(DUE);
  await stack.scheduler.runDue();
  expect(stack.dispatchQueue.list()).toHaveLength(9);
  expect((await api.delete(`/tasks/${deleted.id}`)).status).toBe(200);
  expect((await api.put(`/customers/${withoutEmail.id}`, { name: 'Uten e-post', mobile: '91230001', version: withoutEmail.version })).status).toBe(200);
  const junk = stack.dispatchQueue.send(JSON.stringify({ tenantId: 'firm-poison', note: 'x'.repeat(40_000) }));
  await stack.dispatchSource.runDue();

  const [invocation, ...rest] = stack.dispatchSource.invocations;
  expect(rest).toHaveLength(0);
  expect(invocation!.messageIds).toHaveLength(10);
  expect(invocation!.failed).toEqual([junk]);
  expect(invocation!.error).toBeUndefined();

  const subjects = (await stack.outbox()).emails.map((e) => e.subject).sort();
  expect(subjects).toEqual(good.map((_, i) => `god ${i}`));
  const [skip] = (await api.get(`/tasks/${noAddress.id}/deliveries`)).body.items;
  expect(skip).toMatchObject({ channel: 'email', state: 'skipped' });
  expect(stack.dispatchQueue.list().map((m) => m.messageId)).toEqual([junk]);
  expect(stack.metrics.sum('NoticeFailed')).toBe(0);
}, 120_000);
