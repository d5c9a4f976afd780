import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ports } from '../../shared/ports.ts';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * A Scheduler call that was carried out but whose answer was lost on the way (the connection
 * cut after the stand-in did the work): the SDK tries again and meets the work already done,
 * a CreateSchedule as ConflictException, a DeleteSchedule as ResourceNotFoundException. The
 * save, and the reconciler, must take those for done: the schedules equal the plan, and the
 * schedules mark is set, so that the reconciler's next run lists nothing of the task.
 */
const TENANT = 'firm-lost-scheduler-answers';
const clock = new TestClock(new Date('2030-03-01T10:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let customerId: string;
/** When set, the api's next DeleteSchedule has its answer lost. */
let loseNextDeleteAnswer = false;

function losingDeleteAnswers(ports: Ports): Ports {
  const scheduler: Ports['scheduler'] = Object.assign(Object.create(ports.scheduler) as Ports['scheduler'], {
    delete: (name: string) => {
      if (loseNextDeleteAnswer) stack.schedulerFaults!.loseResponseNext(1);
      loseNextDeleteAnswer = false;
      return ports.scheduler.delete(name);
    },
  });
  return { ...ports, scheduler };
}

beforeAll(async () => {
  stack = await startTestStack({ clock, injectFaults: true, wrapPorts: losingDeleteAnswers });
  api = await stack.as(TENANT);
  customerId = (await createCustomer(api)).id;
}, 60_000);
afterAll(() => stack.stop());

/** The schedules the Scheduler holds for the task, by instant, and those its stored plan wants. */
async function schedulesVersusPlan(taskId: string) {
  const plan = (await api.get(`/tasks/${taskId}/plan`)).body as { occurrences: { at: string; schedule: string }[] };
  return {
    held: stack
      .schedulesOf(TENANT, taskId)
      .map((s) => s.ScheduleExpression)
      .sort(),
    wanted: plan.occurrences
      .filter((o) => o.schedule === 'pending')
      .map((o) => `at(${o.at.replace(/Z$/, '')})`)
      .sort(),
  };
}

/** A reconciler run over the next three days (no full run: a confirmed task costs nothing). */
const reconcile = () => reconcileSchedules(stack.reconcilerPorts, { horizonHours: 72, graceMinutes: 15 });

it('a create whose CreateSchedule answers are lost: the schedules once, and the task confirmed', async () => {
  stack.schedulerFaults!.clear();
  stack.schedulerFaults!.loseResponseNext(2);
  const task = await createTask(api, customerId, { deadline: '2030-03-04', notices: [emailNotice({ offset: 'P1D' }), emailNotice({ offset: 'P2D' })] });
  // Two creates, and the SDK's tries again of both: the answers were lost.
  expect(stack.schedulerFaults!.requests).toBeGreaterThan(2);
  const { held, wanted } = await schedulesVersusPlan(task.id);
  expect(held).toEqual(wanted);
  expect(held).toHaveLength(2);
  expect(await reconcile()).toMatchObject({ checked: 0, created: 0, deleted: 0, failed: 0 });
});

it('a save whose DeleteSchedule answer is lost: the old schedule gone, the new one there, the task confirmed', async () => {
  const task = await createTask(api, customerId, { deadline: '2030-03-04', notices: [emailNotice({ offset: 'P1D' })] });
  loseNextDeleteAnswer = true;
  const moved = await api.put(`/tasks/${task.id}`, {
    title: 'MVA-melding',
    customerId,
    deadline: '2030-03-04',
    notices: [{ ...emailNotice({ offset: 'P2D' }), id: task.notices[0]!.id }],
    version: task.version,
  });
  expect(moved.status).toBe(200);
  expect(loseNextDeleteAnswer).toBe(false);
  const { held, wanted } = await schedulesVersusPlan(task.id);
  expect(held).toEqual(wanted);
  expect(held).toHaveLength(1);
  expect(await reconcile()).toMatchObject({ checked: 0, created: 0, deleted: 0, failed: 0 });
});

it("the reconciler's CreateSchedule for a missing schedule, its answer lost: made once, the task confirmed", async () => {
  const task = await createTask(api, customerId, { deadline: '2030-03-04', notices: [emailNotice({ offset: 'P1D' })] });
  const [schedule] = stack.schedulesOf(TENANT, task.id);
  const key = [...stack.scheduler.schedules.entries()].find(([, s]) => s === schedule)![0];
  stack.scheduler.schedules.delete(key);
  expect(stack.schedulesOf(TENANT, task.id)).toEqual([]);
  expect(await stack.reconcilerPorts.store.withdrawSchedulesConfirmation(TENANT, task.id, task.version)).toBe(true);

  stack.schedulerFaults!.clear();
  // The reconciler lists the task's schedules (its answer kept), then creates the missing one (its answer lost).
  const list = stack.reconcilerPorts.scheduler.list.bind(stack.reconcilerPorts.scheduler);
  const report = await reconcileSchedules(
    {
      ...stack.reconcilerPorts,
      scheduler: Object.assign(Object.create(stack.reconcilerPorts.scheduler) as Ports['scheduler'], {
        list: async (prefix: string) => {
          const listed = await list(prefix);
          stack.schedulerFaults!.loseResponseNext(1);
          return listed;
        },
      }),
    },
    { horizonHours: 72, graceMinutes: 15 },
  );
  expect(report).toMatchObject({ checked: 1, created: 1, confirmed: 1, failed: 0 });
  const { held, wanted } = await schedulesVersusPlan(task.id);
  expect(held).toEqual(wanted);
  expect(held).toHaveLength(1);
  expect(await reconcile()).toMatchObject({ checked: 0, failed: 0 });
});
