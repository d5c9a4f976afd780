import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { fireAndHoldAtProvider, startAttackStack, TENANT, type AttackStack } from './attack-stack.ts';

/**
 * ATTACK: a send that is in flight when a save removes its occurrence (reported in
 * `inFlight`, as designed) and then fails transiently. Its record becomes `retrying`, after
 * settleRemoved has looked. The queue brings the message back, but dispatch now finds no task
 * (deleted) or the occurrence not in the plan (moved deadline) and *ignores* it without a
 * record; the sweep only looks at occurrences of the stored plan. The delivery stays
 * `retrying` (shown `pending`) for ever.
 *
 * Promise: "nothing stays pending for ever (every occurrence whose time has come reaches sent
 * / skipped / failed within the firm's maximum lateness + ~20 min)".
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack();
});
afterAll(() => stack.stop());

async function inFlightThenTransientFailure(title: string, change: (task: any) => Promise<{ status: number; body: any }>) {
  const task = await stack.dueTask(title, ['email'], 60_000);
  const { firing, release } = await fireAndHoldAtProvider(stack);
  const answer = await change(task);
  expect(answer.status).toBe(200);
  expect(answer.body.inFlight).toHaveLength(1);
  // SES is throttling right now: the in-flight send fails, nothing was sent.
  stack.sesFaults!.failNext(400, 'ThrottlingException', 1);
  release.open();
  await firing;
  // Hours of queue retries and reconciler runs.
  for (let i = 0; i < 10; i += 1) {
    await stack.afterVisibilityTimeout();
    await reconcileSchedules(stack.reconcilerPorts, { horizonHours: 3, graceMinutes: 15 });
  }
  stack.clock.advance(25 * 3_600_000);
  await stack.runDue();
  await reconcileSchedules(stack.reconcilerPorts, { horizonHours: 3, graceMinutes: 15 });
  await stack.afterVisibilityTimeout();
  return (await stack.ports.store.listDeliveries(TENANT, task.id)).map((d) => ({ occurrenceAt: d.occurrenceAt, state: d.state }));
}

describe('an in-flight send of a removed occurrence that fails transiently', () => {
  it('ends final when the task was deleted', async () => {
    const records = await inFlightThenTransientFailure('deleted in flight', (task) => stack.api.delete(`/tasks/${task.id}`));
    expect(records.map((r) => r.state)).toHaveLength(1);
    expect(['sent', 'skipped', 'failed']).toContain(records[0]!.state);
  });

  it('ends final when the deadline was moved', async () => {
    const records = await inFlightThenTransientFailure('moved in flight', async (task) => {
      const current = (await stack.api.get(`/tasks/${task.id}`)).body;
      const later = new Date(Date.parse(current.deadline) + 7 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
      return stack.api.put(`/tasks/${task.id}`, {
        title: current.title,
        customerId: current.customerId,
        deadline: later,
        notices: current.notices.map(({ id, when, offset, channels, subject, message }: any) => ({ id, when, offset, channels, subject, message })),
        version: current.version,
      });
    });
    // Only the old occurrence has come (the moved one is a week later): its record must be final.
    expect(records).toHaveLength(1);
    expect(['sent', 'skipped', 'failed']).toContain(records[0]!.state);
  });
});
