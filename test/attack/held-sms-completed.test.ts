import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addHook, startAttackStack, TENANT, type AttackStack } from './attack-stack.ts';

/**
 * ATTACK: a retried SMS lands inside quiet hours and dispatch holds it (claim, then `retrying`
 * with `heldUntil`), letting its message go: nothing brings it back but the reconciler's
 * sweep, which looks only at open tasks. A completion that lands between the hold's claim and
 * its write reads the deliveries while the claim is live (it reports it in flight and leaves
 * it), so the hold's write would leave the delivery pending for ever.
 *
 * Promise: every occurrence ends with a record the firm can read.
 */

let stack: AttackStack;

beforeAll(async () => {
  // The clock starts at 12:00 in Oslo; quiet hours from 12:02 catch the first retry.
  stack = await startAttackStack({ settings: { quietHours: { enabled: true, start: '12:02', end: '13:00' } } });
});
afterAll(() => stack.stop());

describe('a completion racing the hold of an SMS for quiet hours', () => {
  it('ends the held delivery skipped, not pending', async () => {
    // An after-notice: a before-notice's hold would end past its deadline, and is given up instead.
    const afterNotice = { when: 'after', offset: 'PT0S', channels: ['sms'], message: 'Husk {{task.title}}.' };
    const task = await stack.dueTask('Held and completed', ['sms'], 60_000, { notices: [afterNotice] });
    stack.sms.failNext(503, 1);
    stack.clock.advance(60_000);
    await stack.runDue();
    const [failed] = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect(failed).toMatchObject({ state: 'retrying', code: 'sms-http-503' });

    // The retry comes back at 12:04, inside quiet hours: the completion runs just before the hold's write.
    let answer: { status: number; body: { inFlight?: unknown[] } } | undefined;
    addHook(stack.dispatchHooks, 'updateDelivery', async () => {
      answer = await stack.api.post(`/tasks/${task.id}/complete`);
    });
    await stack.afterVisibilityTimeout();
    expect(answer?.status).toBe(200);
    expect(answer?.body.inFlight).toEqual([expect.objectContaining({ channel: 'sms' })]);

    const [record] = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect(record).toMatchObject({ state: 'skipped', reason: 'task-completed' });
    expect(stack.sms.sent.filter((m) => m.text.includes('Held and completed'))).toHaveLength(0);
  });
});
