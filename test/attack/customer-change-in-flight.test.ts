import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../integration/fixtures.ts';
import { fireAndHoldAtProvider, gate, startAttackStack, TENANT, type AttackStack } from './attack-stack.ts';

/**
 * ATTACK: the firm moves a task to another customer (it was filed under the wrong one) while
 * its notice is being dispatched. Dispatch read the task and the customer before its claim;
 * its second, consistent read after the claim checks only that the occurrence is still
 * planned (same notice, same instant), not that the recipient is the same. The update
 * removes no occurrence, so its answer reports nothing in flight; after it, dispatch sends
 * the task's notice to the *old* customer, files the copy under the old customer, and marks
 * the occurrence sent, so the customer the task now names never gets it.
 *
 * The window is real on AWS: EventBridge Scheduler "invoke[s] their targets with 60 second
 * precision ... if you set your schedule to run at 1:00, it will invoke the target API between
 * 1:00:00 and 1:00:59" (Scheduler User Guide, "Schedule types"), so an occurrence at 10:01:30
 * may be dispatched at 10:01:05, while a save at 10:01:10 still plans it (it is not past).
 * The emulator fires exactly at the second; the test hands the schedule's input to the
 * dispatch queue 25 s early, as the Scheduler may.
 *
 * Promise: "every planned notice goes out once at its time"; "Frist checks that the task is
 * still open, fills in the text, sends it exactly once" - to the task's customer.
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack();
});
afterAll(() => stack.stop());

describe('a task moved to another customer while its notice is dispatched', () => {
  const moveTo = async (taskId: string, customerId: string) => {
    const current = (await stack.api.get(`/tasks/${taskId}`)).body;
    return stack.api.put(`/tasks/${taskId}`, {
      title: current.title,
      customerId,
      deadline: current.deadline,
      notices: current.notices.map(({ id, when, offset, channels, subject, message }: any) => ({ id, when, offset, channels, subject, message })),
      version: current.version,
    });
  };
  const recipientsOf = async (subject: string) =>
    (await stack.outbox()).emails.filter((e) => e.subject === subject).map((e) => e.to.map((t) => /<([^>]+)>/.exec(t)?.[1] ?? t).join(','));

  it('sends to the customer the task names after a change that lands between the claim and the send', async () => {
    const right = await createCustomer(stack.api, { name: 'Riktig Kunde AS', email: 'post@riktig.example', mobile: '+4741111111' });
    const task = await stack.dueTask('Kundebytte', ['email'], 60_000);
    // Dispatch has claimed and is about to read the task again when the firm moves it.
    const reread = gate();
    const release = gate();
    let reads = 0;
    // Dispatch's reads by key: the task with the customer its message names (and settings); the task again, after the claim.
    stack.dispatchHooks.set('getByKeys', [
      () => {
        reads += 1;
      },
      async () => {
        reads += 1;
        reread.open();
        await release.wait;
      },
    ]);
    stack.clock.advance(60_000);
    const firing = stack.runDue();
    await reread.wait;
    const moved = await moveTo(task.id, right.id);
    expect(moved.status).toBe(200);
    release.open();
    await firing;
    for (let i = 0; i < 2; i += 1) await stack.afterVisibilityTimeout();

    const [record] = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect({ reads, recipients: await recipientsOf('Frist: Kundebytte'), filedUnder: record!.customerId, state: record!.state }).toEqual({
      reads: 2,
      recipients: ['post@riktig.example'],
      filedUnder: right.id,
      state: 'sent',
    });
  });

  it('reports a send already under way to the old customer in the answer of the change', async () => {
    const right = await createCustomer(stack.api, { name: 'Annen Kunde AS', email: 'post@annen.example', mobile: '+4741111112' });
    const task = await stack.dueTask('Kundebytte 2', ['email'], 60_000);
    const { firing, release } = await fireAndHoldAtProvider(stack);
    const moved = await moveTo(task.id, right.id);
    release.open();
    await firing;
    expect(moved.status).toBe(200);
    expect(moved.body.inFlight).toEqual([expect.objectContaining({ channel: 'email' })]);
    expect(await recipientsOf('Frist: Kundebytte 2')).toEqual(['ase@odegard.example']);
  });
});
