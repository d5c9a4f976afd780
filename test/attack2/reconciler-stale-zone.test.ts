import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { createTask } from '../integration/fixtures.ts';
import { addHook, hooked, startAttackStack, TENANT, type AttackStack, type Hook } from '../attack/attack-stack.ts';
import { changeZone, dateNotice, planZone, walkUntil } from './zone-helpers.ts';

/**
 * ATTACK: the reconciler and a zone-change job re-plan the same tasks.
 *
 * The reconciler reads a firm's settings once per run, at the firm's first due task
 * (reconcile-schedules.ts, the `zones` map), and later re-plans each due task "still planned
 * in a zone the firm has left" against that copy. A run that goes through many tasks takes a
 * while; if the firm changes its zone meanwhile (London -> Oslo) and the job moves a task
 * before the reconciler reaches it, the reconciler reads the task (Oslo), compares it with its
 * stale copy (London), and re-plans it BACK to London, with a write conditional only on the
 * task's version, which it has just read. The job is done; the settings say Oslo; the task
 * is in London. The next run moves it to Oslo again, by when 09:00 Oslo (07:00Z) has passed:
 * the notice is `past`, never sent, with no record.
 *
 * Promise: every planned notice goes out once at its time; live schedules equal the stored
 * plan (in the firm's zone) or the reconciler makes it so, not the other way round.
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack({ start: '2027-05-04T06:50:00Z', settings: { timeZone: 'Europe/London' } });
});
afterAll(() => stack.stop());

describe('the reconciler during a change of time zone', () => {
  it('never moves a task back to the zone the firm has just left, and both notices go out at 09:00 Oslo', async () => {
    const a = await createTask(stack.api, stack.customerId, { title: 'A', deadline: '2027-05-04', notices: dateNotice('Frist: sone') });
    const b = await createTask(stack.api, stack.customerId, { title: 'B', deadline: '2027-05-04', notices: dateNotice('Frist: sone') });
    // 09:00 in London is 08:00Z: both are within the reconciler's 3-hour horizon.
    expect(stack.schedulesOf(TENANT, a.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-05-04T08:00:00)']);

    // A reconciler run has read the settings at its first task; before it lists the second,
    // the firm changes to Oslo and the job re-plans both tasks.
    const hooks = new Map<string, Hook[]>();
    addHook(hooks, 'list', () => undefined);
    addHook(hooks, 'list', async () => {
      expect((await changeZone(stack, 'Europe/Oslo')).status).toBe(200);
      await stack.jobsSource.runDue();
      expect({ a: await planZone(stack, a.id), b: await planZone(stack, b.id) }).toEqual({ a: 'Europe/Oslo', b: 'Europe/Oslo' });
    });
    // A full run: the saves confirmed both tasks, and only a check lists their schedules.
    await reconcileSchedules(
      { ...stack.reconcilerPorts, scheduler: hooked(stack.reconcilerPorts.scheduler, hooks) },
      { horizonHours: 3, graceMinutes: 15, full: true },
    );
    const zonesAfterRun = { a: await planZone(stack, a.id), b: await planZone(stack, b.id) };

    // 09:00 in Oslo is 07:00Z: walk on with the reconciler every 15 minutes.
    stack.clock.set('2027-05-04T07:00:00Z');
    const sentAt = await walkUntil(stack, '2027-05-04T09:00:00Z', 'Frist: sone');
    expect({ zonesAfterRun, sentAt }).toEqual({
      zonesAfterRun: { a: 'Europe/Oslo', b: 'Europe/Oslo' },
      sentAt: ['2027-05-04T07:00:00Z', '2027-05-04T07:00:00Z'],
    });
  });
});
