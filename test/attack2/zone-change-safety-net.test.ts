import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../integration/fixtures.ts';
import { startAttackStack, TENANT, type AttackStack } from '../attack/attack-stack.ts';
import { changeZone, dateNotice, planZone, walkUntil } from './zone-helpers.ts';

/**
 * ATTACK: a change of time zone eastwards (America/New_York -> Europe/Oslo) whose job cannot
 * re-plan a task (the Scheduler answers 500 during that step: the job counts it `failed` and
 * ends `done`).
 *
 * Docs: "`failed` those that could not be re-planned then; every task still in an old zone is
 * re-planned before its next notice, whatever the job's state" (docs/api.md, settings);
 * "A task that fails is counted and left to the reconciler, which re-plans it before its next
 * notice" (zone-change-job.ts). Promise: every planned notice goes out once at its time;
 * every notice ends with a record.
 *
 * What happened before the fix: the reconciler only looked at tasks whose due index (the OLD
 * plan's next occurrence, 13:00Z) is within its 3-hour horizon, i.e. from 10:00Z. The
 * notice's time in the new zone is 07:00Z. By the time the reconciler re-planned the task,
 * 07:00Z was `past`: the notice was never sent. Now a step with a task it could not move
 * fails and is taken again, and the reconciler looks 26 hours further for tasks in an old zone.
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack({ start: '2027-05-03T12:00:00Z', settings: { timeZone: 'America/New_York' } });
});
afterAll(() => stack.stop());

describe('a task the zone-change job could not re-plan', () => {
  it('is re-planned before its next notice (in the new zone), and that notice goes out at its time', async () => {
    const task = await createTask(stack.api, stack.customerId, { title: 'MVA', deadline: '2027-05-04', notices: dateNotice('Frist: MVA øst') });
    // 09:00 in New York on 4 May is 13:00Z.
    expect(stack.schedulesOf(TENANT, task.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-05-04T13:00:00)']);

    const changed = await changeZone(stack, 'Europe/Oslo');
    expect(changed.status).toBe(200);
    // The job's step meets a Scheduler outage (every try of the SDK) for the one task.
    stack.schedulerFaults!.failNext(500, 'InternalServerException', 3);
    await stack.jobsSource.runDue();
    stack.schedulerFaults!.clear();
    // The step failed as a whole: SQS hands it out again, and the task is not left behind.
    const progress = (await stack.api.get('/settings')).body.timeZoneChange;
    expect(progress.state).not.toBe('done');

    // 09:00 in Oslo on 4 May is 07:00Z: walk the day with the reconciler every 15 minutes.
    const sentAt = await walkUntil(stack, '2027-05-04T14:00:00Z', 'Frist: MVA øst');
    const deliveries = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect({ zone: await planZone(stack, task.id), sentAt, records: deliveries.length }).toEqual({
      zone: 'Europe/Oslo',
      sentAt: ['2027-05-04T07:00:00Z'],
      records: 1,
    });
  });
});
