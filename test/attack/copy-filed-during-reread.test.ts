import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryId } from '../../shared/domain/delivery.ts';
import { gate, startAttackStack, TENANT, type AttackStack } from './attack-stack.ts';

/**
 * Dispatch files an e-mail's copy while it reads the task again after its claim, not after
 * that read (shared/use-cases/dispatch-notice.ts, fileEmails). A completion that lands while
 * the read is under way must still stop the send ("never after done"), and the copy filed
 * for a send that never came must not be listed in the document center.
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack();
});
afterAll(() => stack.stop());

describe("an e-mail's copy filed while dispatch reads the task again", () => {
  it('sends nothing and lists no document when the task is completed during that read', async () => {
    const task = await stack.dueTask('Fullført under lesing', ['email'], 60_000);
    const reread = gate();
    const release = gate();
    // Dispatch's reads by key: the task with the customer its message names (and settings); the task again, after the claim.
    stack.dispatchHooks.set('getByKeys', [
      () => undefined,
      async () => {
        reread.open();
        await release.wait;
      },
    ]);
    stack.clock.advance(60_000);
    const firing = stack.runDue();
    await reread.wait;
    const completed = await stack.api.post(`/tasks/${task.id}/complete`);
    release.open();
    await firing;

    const [record] = await stack.ports.store.listDeliveries(TENANT, task.id);
    const id = deliveryId(task.id, task.notices[0].id, record!.occurrenceAt, 'email');
    const month = stack.clock.now().toISOString().slice(0, 7).replace('-', '/');
    const copy = await stack.ports.archive.get(`tenants/${TENANT}/customers/${stack.customerId}/${month}/${id}.eml`);
    const listed = (await stack.api.get(`/documents?taskId=${task.id}`)).body.items;
    expect({
      completed: completed.status,
      inFlight: completed.body.inFlight?.map((f: { channel: string }) => f.channel),
      sent: stack.providerCalls.filter((c) => c.text.includes('Fullført under lesing')).length,
      record: { state: record!.state, reason: record!.reason },
      // Filed side by side with the read, so before the read's answer released the claim.
      copyFiled: copy !== undefined,
      listed,
    }).toEqual({ completed: 200, inFlight: ['email'], sent: 0, record: { state: 'skipped', reason: 'task-completed' }, copyFiled: true, listed: [] });
  });
});
