import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTask } from '../integration/fixtures.ts';
import { startAttackStack, TENANT, type AttackStack } from '../attack/attack-stack.ts';
import { changeZone, dateNotice } from './zone-helpers.ts';

/**
 * ATTACK: a change of time zone on the day a notice goes out.
 *
 * The job re-plans every open task from scratch in the new zone (makePlan); keepDue only keeps
 * an occurrence whose new instant is the very instant the old plan had. So:
 * - westwards (Oslo -> London) after the 09:00 Oslo notice went out (07:00Z), the same notice
 *   (same notice id, repetition 0) is planned again at 09:00 London (08:00Z) and sent a second
 *   time: a certain second copy, under a new delivery id, not flagged `possibleDuplicate`;
 * - eastwards (London -> Oslo) half an hour before the 09:00 London notice (08:00Z), its new
 *   time 09:00 Oslo (07:00Z) has passed: it is `past`, its schedule is deleted, and it never
 *   goes out, with no delivery record. The firm changed a setting, not the task.
 *
 * Promise (README): "Every notice you plan goes out once, at its time ... unless the task is
 * completed, deleted or changed first"; "Every notice ends with a record you can read";
 * every possible second copy is flagged `possibleDuplicate`.
 */

describe('a change of time zone on the day of a notice', () => {
  let stack: AttackStack;
  beforeAll(async () => {
    stack = await startAttackStack({ start: '2027-05-04T06:00:00Z', settings: { timeZone: 'Europe/Oslo' } });
  });
  afterAll(() => stack.stop());

  it('does not send again a notice that went out before the change (or flags the copy)', async () => {
    const task = await createTask(stack.api, stack.customerId, { title: 'Vest', deadline: '2027-05-04', notices: dateNotice('Frist: vest') });
    stack.clock.set('2027-05-04T07:00:00Z');
    await stack.runDue();
    const sentBefore = (await stack.outbox()).emails.filter((e) => e.subject === 'Frist: vest').length;
    expect(sentBefore).toBe(1);

    stack.clock.set('2027-05-04T07:30:00Z');
    expect((await changeZone(stack, 'Europe/London')).status).toBe(200);
    await stack.runDue();
    stack.clock.set('2027-05-04T08:00:00Z');
    await stack.runDue();

    const sent = (await stack.outbox()).emails.filter((e) => e.subject === 'Frist: vest').length;
    const deliveries = await stack.ports.store.listDeliveries(TENANT, task.id);
    const unflaggedCopies =
      deliveries.filter((d) => d.state === 'sent').length - 1 - deliveries.filter((d) => d.state === 'sent' && d.possibleDuplicate).length;
    expect({ sent, unflaggedCopies }).toEqual({ sent: 1, unflaggedCopies: 0 });
  });
});

describe('a change of time zone just before a notice', () => {
  let stack: AttackStack;
  beforeAll(async () => {
    stack = await startAttackStack({ start: '2027-05-04T06:00:00Z', settings: { timeZone: 'Europe/London' } });
  });
  afterAll(() => stack.stop());

  it('still sends the notice (or ends it with a record), not drop it silently', async () => {
    const task = await createTask(stack.api, stack.customerId, { title: 'Øst', deadline: '2027-05-04', notices: dateNotice('Frist: øst') });
    expect(stack.schedulesOf(TENANT, task.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-05-04T08:00:00)']);

    stack.clock.set('2027-05-04T07:30:00Z');
    expect((await changeZone(stack, 'Europe/Oslo')).status).toBe(200);
    await stack.runDue();
    for (const at of ['2027-05-04T08:00:00Z', '2027-05-04T09:00:00Z', '2027-05-04T12:00:00Z']) {
      stack.clock.set(at);
      await stack.runDue();
    }

    const sent = (await stack.outbox()).emails.filter((e) => e.subject === 'Frist: øst').length;
    const records = (await stack.ports.store.listDeliveries(TENANT, task.id)).length;
    // (GET /tasks/{id}/plan shows the occurrence `past`: the job re-planned it at 07:30Z.)
    expect({ sent, records }).toEqual({ sent: 1, records: 1 });
  });
});
