import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runZoneChangeStep } from '../../shared/use-cases/zone-change-job.ts';
import { createTask } from '../integration/fixtures.ts';
import { addHook, gate, hooked, startAttackStack, TENANT, type AttackStack, type Hook } from '../attack/attack-stack.ts';
import { changeZone, dateNotice, planZone, walkUntil } from './zone-helpers.ts';

/**
 * ATTACK: a colleague's save of a task races the firm's change of time zone.
 *
 * The save (PUT /tasks/{id}, a new title) reads the settings (still New York) and plans in
 * that zone; before its conditional write lands, the firm changes the zone to Oslo, and the
 * job's step reads the task (version 1) and re-plans it in Oslo. The save's write lands first;
 * the job's write loses its condition. replanInZone takes that ConflictError to mean "a
 * concurrent save won (that save planned in the current zone itself)" and returns; the step
 * counts the task `replanned`, and the job ends `done`. But the save that won planned in the
 * OLD zone: the task stays in New York with nothing left to move it, except the reconciler,
 * which comes too late for an eastward change (see zone-change-safety-net.test.ts).
 *
 * Docs: "`replanned` counts the open tasks gone through that are planned in the new zone"
 * (docs/api.md); "Moved now, planned in the zone already, or saved meanwhile by a save that
 * planned in it" (zone-change-job.ts). Promise: every planned notice goes out once at its time.
 */

let stack: AttackStack;

describe('a save racing a change of time zone', () => {
  beforeAll(async () => {
    stack = await startAttackStack({ start: '2027-05-03T12:00:00Z', settings: { timeZone: 'America/New_York' } });
  });
  afterAll(() => stack.stop());

  it('the task ends planned in the new zone, and its notice goes out at the new zone time', async () => {
    const task = await createTask(stack.api, stack.customerId, { title: 'Lønn', deadline: '2027-05-04', notices: dateNotice('Frist: Lønn') });

    // The colleague's save has read the settings (New York) and planned; it is held just
    // before its conditional PutItem.
    const saveAtWrite = gate();
    const saveMayWrite = gate();
    addHook(stack.apiHooks, 'putTask', async () => {
      saveAtWrite.open();
      await saveMayWrite.wait;
    });
    const saving = stack.api.put(`/tasks/${task.id}`, {
      title: 'Lønn mai',
      customerId: stack.customerId,
      deadline: task.deadline,
      notices: task.notices.map(({ id, when, offset, sendAt, channels, subject, message }: any) => ({ id, when, offset, sendAt, channels, subject, message })),
      version: task.version,
    });
    await saveAtWrite.wait;

    // Now the firm changes its zone, and the job's first step runs: it has read the task
    // (version 1) and is about to write it re-planned in Oslo when the colleague's write lands.
    const changed = await changeZone(stack, 'Europe/Oslo');
    expect(changed.status).toBe(200);
    const jobHooks = new Map<string, Hook[]>();
    let saved: { status: number } | undefined;
    addHook(jobHooks, 'putTask', async () => {
      saveMayWrite.open();
      saved = await saving;
    });
    const jobPorts = { ...stack.jobPorts, store: hooked(stack.jobPorts.store, jobHooks) };
    const report = await runZoneChangeStep(jobPorts, { tenantId: TENANT, jobId: changed.body.timeZoneChange.jobId, step: 0 });
    // The step's message is still queued: its delivery finds the job moved on.
    await stack.jobsSource.runDue();

    expect(saved?.status).toBe(200);
    expect(report).toMatchObject({ outcome: 'done', replanned: 1, failed: 0 });
    expect((await stack.api.get('/settings')).body.timeZoneChange).toMatchObject({ state: 'done', replanned: 1 });

    const zoneAfterJob = await planZone(stack, task.id);
    // 09:00 in Oslo on 4 May is 07:00Z (in New York it would be 13:00Z).
    const sentAt = await walkUntil(stack, '2027-05-04T14:00:00Z', 'Frist: Lønn');
    expect({ zoneAfterJob, sentAt }).toEqual({ zoneAfterJob: 'Europe/Oslo', sentAt: ['2027-05-04T07:00:00Z'] });
  });
});

/**
 * The same hole without any conflict: a POST /tasks that read the settings (New York) before
 * the change commits, and writes after the job's step has paged the open tasks. The job never
 * sees the task; it ends `done`, and the new task is planned in the old zone.
 */
describe('a create racing a change of time zone', () => {
  beforeAll(async () => {
    stack = await startAttackStack({ start: '2027-05-03T12:00:00Z', settings: { timeZone: 'America/New_York' } });
  });
  afterAll(() => stack.stop());

  it('the new task ends planned in the new zone, and its notice goes out at the new zone time', async () => {
    const atWrite = gate();
    const mayWrite = gate();
    addHook(stack.apiHooks, 'putTask', async () => {
      atWrite.open();
      await mayWrite.wait;
    });
    const creating = createTask(stack.api, stack.customerId, { title: 'Årsregnskap', deadline: '2027-05-04', notices: dateNotice('Frist: Årsregnskap') });
    await atWrite.wait;

    const changed = await changeZone(stack, 'Europe/Oslo');
    expect(changed.status).toBe(200);
    await stack.jobsSource.runDue();
    expect((await stack.api.get('/settings')).body.timeZoneChange).toMatchObject({ state: 'done' });
    mayWrite.open();
    const task = await creating;

    const zoneAfterJob = await planZone(stack, task.id);
    const sentAt = await walkUntil(stack, '2027-05-04T14:00:00Z', 'Frist: Årsregnskap');
    expect({ zoneAfterJob, sentAt }).toEqual({ zoneAfterJob: 'Europe/Oslo', sentAt: ['2027-05-04T07:00:00Z'] });
  });
});
