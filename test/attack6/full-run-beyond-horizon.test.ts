import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

// After schedules were deleted by hand or the table restored, the operator runs the reconciler
// with {"full": true}, as docs/architecture.md says. That run looks at the tasks of its
// horizon (three hours) only; a task due tomorrow keeps its "schedules confirmed" mark, every
// later run trusts it, and its notice has no schedule at its time: it goes out late, by the
// overdue sweep. A full run must leave no task it did not check marked confirmed.
const TENANT = 'firm-full-run';
const clock = new TestClock(new Date('2027-06-01T10:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let reconcile: (event?: { full?: true }) => Promise<Record<string, number>>;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as(TENANT);
  const handler = createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 3, graceMinutes: 15 });
  reconcile = (event = {}) => handler(event, {} as never) as unknown as Promise<Record<string, number>>;
});
afterAll(() => stack.stop());

it('a full run after schedules were lost leaves the tasks beyond its horizon to be checked when they come into it', async () => {
  const customer = await createCustomer(api);
  const tomorrow = await createTask(api, customer.id, { deadline: '2027-06-02T12:00:00Z', notices: [emailNotice({ offset: 'PT0S' })] });
  const [schedule] = stack.schedulesOf(TENANT, tomorrow.id);
  stack.scheduler.schedules.delete(`frist/${schedule!.Name}`);

  await reconcile({ full: true });
  clock.set('2027-06-02T10:00:00Z');
  const report = await reconcile();

  expect(report).toMatchObject({ checked: 1, created: 1, failed: 0 });
  expect(stack.schedulesOf(TENANT, tomorrow.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-06-02T12:00:00)']);
  // Checked once, it is confirmed again: the next run costs nothing.
  expect(await reconcile()).toMatchObject({ checked: 0 });
});
