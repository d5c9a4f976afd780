import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { addHook, gate, hooked, startAttackStack, TENANT, type AttackStack, type Hook } from './attack-stack.ts';

/**
 * ATTACK: saves that race each other, the reconciler, a delete and a send.
 *
 * Promise: "saves are atomic as the Scheduler sees them (live schedules = future occurrences
 * of the stored plan, or the reconciler makes it so)"; "every planned notice goes out once at
 * its time (within a minute)"; "once ... a delete ... answered 2xx, no provider call for the
 * removed occurrences starts except those reported in the answer's inFlight".
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack();
});
afterAll(() => stack.stop());

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const noticeBodies = (task: any) =>
  task.notices.map(({ id, when, offset, channels, subject, message }: any) => ({ id, when, offset, channels, subject, message }));
const emails = async (subject: string) => (await stack.outbox()).emails.filter((e) => e.subject === subject).length;

function liveVersusPlan(taskId: string, stored: any) {
  const wanted = (stored?.plan.occurrences ?? []).filter((o: any) => o.state === 'scheduled' && o.at > iso(stack.clock.now().getTime())).length;
  return { wanted, live: stack.schedulesOf(TENANT, taskId).length };
}

describe('saves racing', () => {
  it('reopen racing a completion leaves the reopened notice scheduled, and it goes out at its time', async () => {
    const task = await stack.dueTask('Reopen race', ['email'], 10 * 60_000);
    const reopenAtPut = gate();
    const reopenMayPut = gate();
    let reopening: Promise<{ status: number }> | undefined;
    // 1st putTask: the completion's (no hook); 2nd: the reopen's, held until the completion is done.
    addHook(stack.apiHooks, 'putTask', () => undefined);
    addHook(stack.apiHooks, 'putTask', async () => {
      reopenAtPut.open();
      await reopenMayPut.wait;
    });
    // The completion has written the task and is about to delete the schedule: a colleague
    // reopens the task right now (it reads the completed task and creates the schedule, which
    // still exists).
    addHook(stack.apiSchedulerHooks, 'delete', async () => {
      reopening = stack.api.post(`/tasks/${task.id}/reopen`);
      await reopenAtPut.wait;
    });
    const completed = await stack.api.post(`/tasks/${task.id}/complete`);
    reopenMayPut.open();
    const reopened = await reopening!;
    expect([completed.status, reopened.status]).toEqual([200, 200]);

    const stored = await stack.ports.store.getTask(TENANT, task.id);
    expect(stored!.status).toBe('open');
    const schedules = liveVersusPlan(task.id, stored);
    stack.clock.advance(10 * 60_000 + 60_000);
    await stack.runDue();
    expect({ ...schedules, sentAtItsTime: await emails('Frist: Reopen race') }).toEqual({ wanted: 1, live: 1, sentAtItsTime: 1 });
  });

  it('the reconciler, reading the task before a concurrent save, does not delete the schedule that save created', async () => {
    const task = await stack.dueTask('Reconciler race', ['email'], 2 * 3_600_000);
    const hooks = new Map<string, Hook[]>();
    // The reconciler has read the due index (version 1); before it lists the schedules, the
    // firm adds a notice ten minutes from now.
    addHook(hooks, 'list', async () => {
      const current = (await stack.api.get(`/tasks/${task.id}`)).body;
      const answer = await stack.api.put(`/tasks/${task.id}`, {
        title: current.title,
        customerId: current.customerId,
        deadline: current.deadline,
        notices: [...noticeBodies(current), { when: 'before', offset: 'PT1H50M', channels: ['email'], subject: 'Snart: {{task.title}}', message: 'Snart.' }],
        version: current.version,
      });
      expect(answer.status).toBe(200);
    });
    const ports = { ...stack.reconcilerPorts, scheduler: hooked(stack.reconcilerPorts.scheduler, hooks) };
    // A full run: the task's save confirmed it, and only a check lists its schedules.
    await reconcileSchedules(ports, { horizonHours: 3, graceMinutes: 15, full: true });

    const stored = await stack.ports.store.getTask(TENANT, task.id);
    const schedules = liveVersusPlan(task.id, stored);
    stack.clock.advance(10 * 60_000 + 60_000);
    await stack.runDue();
    expect({ ...schedules, sentAtItsTime: await emails('Snart: Reconciler race') }).toEqual({ wanted: 2, live: 2, sentAtItsTime: 1 });
  });

  it('a delete racing an update is refused (409), so it cannot hide the send of the occurrence that update added', async () => {
    const start = stack.clock.now().getTime();
    const task = await stack.dueTask('Delete race', ['email'], 2 * 86_400_000);
    // DELETE has read version 1; before its DeleteItem lands, an update (version 2) adds a
    // notice due a minute later.
    addHook(stack.apiHooks, 'deleteTask', async () => {
      const current = (await stack.api.get(`/tasks/${task.id}`)).body;
      const answer = await stack.api.put(`/tasks/${task.id}`, {
        title: current.title,
        customerId: current.customerId,
        deadline: current.deadline,
        notices: [...noticeBodies(current), { when: 'before', offset: 'PT47H59M', channels: ['email'], subject: 'Delete race B', message: 'B' }],
        version: current.version,
      });
      expect(answer.status).toBe(200);
    });
    const deleted = await stack.api.delete(`/tasks/${task.id}`);
    // The delete read version 1; the task is at version 2: refused, nothing deleted.
    expect(deleted.status).toBe(409);
    expect((await stack.api.get(`/tasks/${task.id}`)).body.version).toBe(2);
    stack.clock.set(iso(start + 2 * 60_000));
    await stack.runDue();
    expect(await emails('Delete race B')).toBe(1);
  });

  it('a schedule a failed delete left behind fires into nothing, writes nothing, and is gone after it fired', async () => {
    const task = await stack.dueTask('Delete left over', ['email'], 2 * 3_600_000);
    stack.schedulerFaults!.failNext(500, 'InternalServerException', 3);
    const deleted = await stack.api.delete(`/tasks/${task.id}`);
    stack.schedulerFaults!.clear();
    expect(deleted.status).toBe(200);
    expect(stack.schedulesOf(TENANT, task.id)).toHaveLength(1);
    stack.clock.advance(2 * 3_600_000 + 60_000);
    await stack.runDue();
    // ActionAfterCompletion DELETE: the schedule is gone once it fired; dispatch wrote nothing.
    expect(stack.schedulesOf(TENANT, task.id)).toEqual([]);
    expect(await stack.ports.store.listDeliveries(TENANT, task.id)).toEqual([]);
    expect(await emails('Frist: Delete left over')).toBe(0);
  });

  it('the reconciler, reading a due index that lags the table (GSI reads are eventually consistent on AWS), keeps a schedule a save just made', async () => {
    const task = await stack.dueTask('Lagging index', ['email'], 2 * 3_600_000);
    // What the due index still returns a moment after the save below: version 1.
    const lagging = await stack.reconcilerPorts.store.queryDueTasks('0000', '9999');
    const current = (await stack.api.get(`/tasks/${task.id}`)).body;
    const answer = await stack.api.put(`/tasks/${task.id}`, {
      title: current.title,
      customerId: current.customerId,
      deadline: current.deadline,
      notices: [...noticeBodies(current), { when: 'before', offset: 'PT1H50M', channels: ['email'], subject: 'Snart: {{task.title}}', message: 'Snart.' }],
      version: current.version,
    });
    expect(answer.status).toBe(200);
    const store = Object.assign(Object.create(stack.reconcilerPorts.store), { queryDueTasks: async () => lagging });
    await reconcileSchedules({ ...stack.reconcilerPorts, store }, { horizonHours: 3, graceMinutes: 15 });

    const stored = await stack.ports.store.getTask(TENANT, task.id);
    const schedules = liveVersusPlan(task.id, stored);
    stack.clock.advance(10 * 60_000 + 60_000);
    await stack.runDue();
    expect({ ...schedules, sentAtItsTime: await emails('Snart: Lagging index') }).toEqual({ wanted: 2, live: 2, sentAtItsTime: 1 });
  });
});
