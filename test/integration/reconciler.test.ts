import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { scheduleName, taskSchedulePrefix } from '../../shared/domain/schedule-names.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-reconcile';
const clock = new TestClock(new Date('2027-06-01T10:00:00Z'));

let stack: TestStack;
let api: ApiClient;
let reconcile: (event?: { full?: true }) => Promise<Record<string, number>>;

function schedulesOf(taskId: string) {
  const prefix = taskSchedulePrefix(TENANT, taskId);
  return [...stack.scheduler.schedules.entries()].filter(([, s]) => s.Name.startsWith(prefix));
}

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as(TENANT);
  const handler = createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 });
  reconcile = (event = {}) => handler(event, {} as never) as unknown as Promise<Record<string, number>>;
});

/** As a save leaves a task whose sync did not finish (it crashed before its mark, or a Scheduler call failed). */
async function unconfirm(taskId: string) {
  const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  await db.send(
    new UpdateCommand({ TableName: stack.config.TABLE_NAME, Key: { pk: `T#${TENANT}`, sk: `K#${taskId}` }, UpdateExpression: 'REMOVE schedulesConfirmed' }),
  );
}
afterAll(() => stack.stop());

describe('the reconciler', () => {
  it('recreates a lost schedule and deletes an orphan (older than a save takes) of an unconfirmed task due soon, then confirms it', async () => {
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, {
      deadline: '2027-06-01T12:00:00Z',
      notices: [emailNotice({ offset: 'PT1H' }), emailNotice({ offset: 'PT30M' }), emailNotice({ offset: 'PT0S', when: 'after' })],
    });
    const [lost, kept] = schedulesOf(task.id);
    stack.scheduler.schedules.delete(lost![0]);
    const orphan = scheduleName(TENANT, task.id, 'gone0000gone0000', 0, '2027-06-01T11:45:00Z');
    stack.scheduler.schedules.set(`frist/${orphan}`, {
      ...kept![1],
      Name: orphan,
      ScheduleExpression: 'at(2027-06-01T11:45:00)',
      CreationDate: kept![1].CreationDate - 3600,
    });
    await unconfirm(task.id);

    const report = await reconcile();
    expect(report).toMatchObject({ checked: 1, created: 1, deleted: 1, confirmed: 1, failed: 0 });
    expect(
      schedulesOf(task.id)
        .map(([, s]) => s.ScheduleExpression)
        .sort(),
    ).toEqual(['at(2027-06-01T11:00:00)', 'at(2027-06-01T11:30:00)', 'at(2027-06-01T12:00:00)']);

    const again = await reconcile();
    expect(again).toMatchObject({ checked: 0, created: 0, deleted: 0 });
  });

  it('leaves a schedule deleted by hand of a confirmed task to a full run ({"full": true})', async () => {
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, { deadline: '2027-06-01T12:30:00Z', notices: [emailNotice({ offset: 'PT0S' })] });
    const [[key]] = schedulesOf(task.id) as [[string, unknown]];
    stack.scheduler.schedules.delete(key);

    expect(await reconcile()).toMatchObject({ checked: 0, created: 0 });
    expect(await reconcile({ full: true })).toMatchObject({ created: 1, failed: 0 });
    expect(schedulesOf(task.id)).toHaveLength(1);
  });

  it('still catches the occurrence of a confirmed task whose schedule was deleted by hand, once its time came and went', async () => {
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, { deadline: '2027-06-01T13:00:00Z', notices: [emailNotice({ offset: 'PT0S' })] });
    const [[key]] = schedulesOf(task.id) as [[string, unknown]];
    stack.scheduler.schedules.delete(key);
    clock.set('2027-06-01T13:16:00Z');
    await stack.runDue();
    expect(await stack.reconcilerPorts.store.listDeliveries(TENANT, task.id)).toEqual([]);

    expect(await reconcile()).toMatchObject({ checked: 0, resent: 1, failed: 0 });
    clock.advance(61_000);
    await stack.runDue();
    expect((await stack.reconcilerPorts.store.listDeliveries(TENANT, task.id)).map((d) => d.state)).toEqual(['sent']);
  });

  it('leaves tasks due beyond the horizon to a later run', async () => {
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, { deadline: '2027-07-01', notices: [emailNotice()] });
    const [[key]] = schedulesOf(task.id) as [[string, unknown]];
    stack.scheduler.schedules.delete(key);
    await unconfirm(task.id);
    await reconcile();
    expect(schedulesOf(task.id)).toHaveLength(0);

    clock.set('2027-06-28T06:00:00Z');
    expect(await reconcile()).toMatchObject({ created: 1 });
    expect(schedulesOf(task.id)).toHaveLength(1);
  });

  it('moves a task on in the due index as its occurrences pass, and drops it after the last', async () => {
    const dueTaskIds = async (until: string) => (await stack.reconcilerPorts.store.queryDueTasks('0000', until)).map((d) => d.task.id);
    clock.set('2027-08-01T06:00:00Z');
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, {
      deadline: '2027-07-31',
      notices: [emailNotice({ when: 'after', offset: 'P1D', repeat: { every: 2, times: 1 } })],
    });
    expect(await dueTaskIds('2027-08-01T07:00:00Z')).toContain(task.id);

    clock.set('2027-08-01T07:00:30Z');
    await stack.runDue();
    clock.set('2027-08-01T10:00:00Z');
    await reconcile();
    expect(await dueTaskIds('2027-08-02T00:00:00Z')).not.toContain(task.id);
    expect(await dueTaskIds('2027-08-03T07:00:00Z')).toContain(task.id);

    // The repetition on 3 August loses its schedule and the task its mark; the run within its horizon restores it.
    for (const [key] of schedulesOf(task.id)) stack.scheduler.schedules.delete(key);
    await unconfirm(task.id);
    clock.set('2027-08-03T05:30:00Z');
    expect(await reconcile()).toMatchObject({ created: 1 });
    expect(schedulesOf(task.id).map(([, s]) => s.ScheduleExpression)).toEqual(['at(2027-08-03T07:00:00)']);

    clock.set('2027-08-03T07:00:30Z');
    await stack.runDue();
    clock.set('2027-08-03T09:00:00Z');
    await reconcile();
    expect(await dueTaskIds('9999-12-31T00:00:00Z')).not.toContain(task.id);
  });
});
