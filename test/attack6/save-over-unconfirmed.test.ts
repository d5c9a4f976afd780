import { afterAll, beforeAll, expect, it } from 'vitest';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { scheduleName } from '../../shared/domain/schedule-names.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

// A task whose sync is not confirmed is one the reconciler still has to look at: a schedule of
// its plan may be missing (a save's re-create after its write failed, a repair the reconciler
// could not finish). A later save that changes something else (the title) makes only its own
// new schedules, none here, and carried the mark in its write all the same: the task was
// confirmed with the schedule still missing, the reconciler passed it by, and the notice went
// out only when the overdue sweep found it, late.
const TENANT = 'firm-save-over-unconfirmed';
const clock = new TestClock(new Date('2027-06-01T10:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let reconcile: () => Promise<Record<string, number>>;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as(TENANT);
  const handler = createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 });
  reconcile = () => handler({}, {} as never) as unknown as Promise<Record<string, number>>;
});
afterAll(() => stack.stop());

/** The state an unfinished sync leaves: the task's first schedule gone and its mark withdrawn. */
async function loseScheduleUnconfirmed(taskId: string) {
  const [schedule] = stack.schedulesOf(TENANT, taskId).sort((a, b) => a.ScheduleExpression.localeCompare(b.ScheduleExpression));
  stack.scheduler.schedules.delete(`frist/${schedule!.Name}`);
  const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  await db.send(
    new UpdateCommand({ TableName: stack.config.TABLE_NAME, Key: { pk: `T#${TENANT}`, sk: `K#${taskId}` }, UpdateExpression: 'REMOVE schedulesConfirmed' }),
  );
}

it('a save that keeps the schedules of an unconfirmed version leaves the task to the reconciler, which restores the missing one', async () => {
  const customer = await createCustomer(api);
  const task = await createTask(api, customer.id, { deadline: '2027-06-01T12:00:00Z', notices: [emailNotice({ offset: 'PT0S' })] });
  await loseScheduleUnconfirmed(task.id);
  expect(stack.schedulesOf(TENANT, task.id)).toHaveLength(0);

  const renamed = await api.patch(`/tasks/${task.id}`, { title: 'MVA-melding 2. termin', version: task.version });
  expect(renamed.status).toBe(200);
  const report = await reconcile();

  expect(report).toMatchObject({ checked: 1, created: 1, failed: 0 });
  expect(stack.schedulesOf(TENANT, task.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-06-01T12:00:00)']);
});

it('a save that keeps the schedules of a confirmed version still carries the mark in its write (the reconciler costs nothing)', async () => {
  const customer = await createCustomer(api);
  const task = await createTask(api, customer.id, { deadline: '2027-06-01T12:30:00Z', notices: [emailNotice({ offset: 'PT0S' })] });

  await api.patch(`/tasks/${task.id}`, { title: 'MVA-melding 3. termin', version: task.version });
  const report = await reconcile();

  expect(report).toMatchObject({ checked: 0, created: 0, failed: 0 });
  expect(stack.schedulesOf(TENANT, task.id)).toHaveLength(1);
});

it('a retried save (its new schedule there already) that keeps the schedules of an unconfirmed version does not mark it after its re-create either', async () => {
  const customer = await createCustomer(api);
  const task = await createTask(api, customer.id, {
    deadline: '2027-06-01T12:45:00Z',
    notices: [emailNotice({ offset: 'PT1H' }), emailNotice({ offset: 'PT0S' })],
  });
  await loseScheduleUnconfirmed(task.id); // the 11:45 one
  const stored = (await api.get(`/tasks/${task.id}`)).body;
  const moved = (stored.notices as { id: string }[])[1];
  // The first try of this save made the 12:15 schedule and lost its write's answer.
  const [model] = stack.schedulesOf(TENANT, task.id);
  const name = scheduleName(TENANT, task.id, moved!.id, 0, '2027-06-01T12:15:00Z');
  stack.scheduler.schedules.set(`frist/${name}`, {
    ...model!,
    Name: name,
    ScheduleExpression: 'at(2027-06-01T12:15:00)',
    dueAt: Date.parse('2027-06-01T12:15:00Z'),
  });

  const notices = stored.notices.map((n: { id: string }) => (n.id === moved!.id ? { ...n, offset: 'PT30M' } : n));
  const retried = await api.put(`/tasks/${task.id}`, {
    title: stored.title,
    customerId: stored.customerId,
    deadline: stored.deadline,
    notices,
    version: stored.version,
  });
  expect(retried.status).toBe(200);
  const report = await reconcile();

  expect(report).toMatchObject({ checked: 1, created: 1, failed: 0 });
  expect(
    stack
      .schedulesOf(TENANT, task.id)
      .map((s) => s.ScheduleExpression)
      .sort(),
  ).toEqual(['at(2027-06-01T11:45:00)', 'at(2027-06-01T12:15:00)']);
});
