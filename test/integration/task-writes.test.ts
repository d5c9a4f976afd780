import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * Every write of a task item costs the whole item (a few KB with its notices' texts) and the
 * index entries it changes: a task's life writes it only where something changed. Counted here
 * for the life the cost bench prices (bench/cost.ts): two e-mail notices, each sent, the
 * reconciler every 15 minutes, the task completed.
 */
const TENANT = 'firm-task-writes';
const clock = new TestClock(new Date('2027-09-01T06:00:00Z'));
const writes: { fn: string; command: string; expression: string }[] = [];

let stack: TestStack;
let api: ApiClient;

/** The SDK's marshalled input names the item's sort key as `{ S: 'K#...' }`. */
function taskWrite(fn: string, call: AwsCall): void {
  const key = (call.input.Key ?? call.input.Item) as { sk?: { S?: string } } | undefined;
  if (!/Put|Update|Delete/.test(call.command) || !key?.sk?.S?.startsWith('K#')) return;
  writes.push({
    fn,
    command: call.command.replace(/Command$/, ''),
    expression: typeof call.input.UpdateExpression === 'string' ? call.input.UpdateExpression : '',
  });
}

beforeAll(async () => {
  stack = await startTestStack({ clock, recordAwsCalls: taskWrite });
  api = await stack.as(TENANT);
});
afterAll(() => stack.stop());

const reconcile = () => reconcileSchedules(stack.reconcilerPorts, { horizonHours: 3, graceMinutes: 15 });

describe('a task with two notices, through its life', () => {
  it('writes its item four times: created with its schedules mark, its due entry moved on and then taken out, completed', async () => {
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, {
      deadline: '2027-09-02T09:00:00Z',
      notices: [emailNotice({ offset: 'P1D' }), emailNotice({ offset: 'PT0S' })],
    });
    for (let at = clock.now().getTime(); at <= Date.parse('2027-09-02T10:00:00Z'); at += 15 * 60_000) {
      clock.set(new Date(at).toISOString());
      await stack.runDue();
      await reconcile();
    }
    expect((await stack.ports.store.listDeliveries(TENANT, task.id)).map((d) => d.state)).toEqual(['sent', 'sent']);
    expect((await api.post(`/tasks/${task.id}/complete`)).status).toBe(200);

    // No write of the schedules mark of its own (the create carried it), none by dispatch.
    expect(writes).toEqual([
      { fn: 'api', command: 'PutItem', expression: '' },
      { fn: 'reconciler', command: 'UpdateItem', expression: 'SET gsi4pk = :shard, gsi4sk = :due' },
      { fn: 'reconciler', command: 'UpdateItem', expression: 'REMOVE gsi4pk, gsi4sk' },
      { fn: 'api', command: 'PutItem', expression: '' },
    ]);
    expect(await stack.ports.store.getTask(TENANT, task.id)).toMatchObject({ status: 'completed', version: 2 });
  });
});
