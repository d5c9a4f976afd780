import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReliabilityStack, type ReliabilityStack } from '../reliability/reliability-stack.ts';
import { titleFor } from '../reliability/figures.ts';

/**
 * ATTACK: an unrelated edit (the title) saved after a notice's time but before dispatch has
 * sent it. The save re-plans from scratch, every occurrence at or before the save becomes
 * `past`, and `past` is treated as "removed from the plan": the queued message is ignored as
 * not planned (no record at all), a delivery waiting for a retry is skipped `replanned`, and
 * the sweep never looks at a `past` occurrence again. The firm changed nothing about the
 * notice, yet it never goes out.
 *
 * Promise (README): "Every notice you plan goes out once, at its time ... unless the task is
 * completed, deleted or changed first"; "every occurrence whose time has come reaches sent /
 * skipped / failed"; decisions.md: "requiring [planVersion] to match would make every
 * unrelated edit (a title) rewrite every schedule" - i.e. unrelated edits must not matter.
 */

let stack: ReliabilityStack;

beforeAll(async () => {
  stack = await startReliabilityStack();
});
afterAll(() => stack.stop());

const sentTo = async (title: string) => (await stack.outbox()).emails.filter((e) => e.subject === `Frist: ${title}`).length;

const retitle = (task: any, title: string) => ({
  title,
  customerId: stack.customerId,
  deadline: task.deadline,
  notices: task.notices.map(({ id, when, offset, channels, subject, message }: any) => ({ id, when, offset, channels, subject, message })),
  version: task.version,
});

describe('a title edit after the notice fell due', () => {
  it('still sends the notice whose message is on its way (Scheduler fires within its minute / queue backlog)', async () => {
    const title = titleFor('edit after due', 0);
    const created = await stack.dueTask(title, ['email'], 60_000);
    // The notice's time comes; the Scheduler has not handed it over yet (it fires within a
    // minute, the queue may have a backlog, a first dispatch attempt may have died before it
    // wrote anything). The firm fixes a typo in the title.
    stack.clock.advance(60_000 + 20_000);
    const current = (await stack.api.get(`/tasks/${created.id}`)).body;
    const edited = await stack.api.put(`/tasks/${created.id}`, retitle(current, `${title} (rettet)`));
    expect(edited.status).toBe(200);
    expect(edited.body.inFlight).toEqual([]);
    await stack.runDue();
    for (let i = 0; i < 3; i += 1) await stack.afterVisibilityTimeout();

    const deliveries = (await stack.api.get(`/tasks/${created.id}/deliveries`)).body.items;
    const records = await stack.ports.store.listDeliveries('firm-reliability', created.id);
    // The occurrence was planned, fell due, and the task was never completed nor its notice
    // changed: it must go out (with either title), and have a record dispatch wrote.
    expect({ records: records.length, emails: (await sentTo(title)) + (await sentTo(`${title} (rettet)`)), deliveries }).toMatchObject({
      records: 1,
      emails: 1,
    });
  });

  it('still sends a notice that is being retried through an SES outage when the title is edited', async () => {
    const title = titleFor('edit during retries', 0);
    const created = await stack.dueTask(title, ['email'], 60_000);
    stack.sesFaults!.failNext(503, 'ServiceUnavailable', 1_000);
    stack.clock.advance(60_000);
    await stack.runDue();
    const before = await stack.ports.store.listDeliveries('firm-reliability', created.id);
    expect(before.map((d) => d.state)).toEqual(['retrying']);
    // Ten minutes into the outage the firm edits the title only.
    stack.clock.advance(10 * 60_000);
    const current = (await stack.api.get(`/tasks/${created.id}`)).body;
    const edited = await stack.api.put(`/tasks/${created.id}`, retitle(current, `${title} (rettet)`));
    expect(edited.status).toBe(200);
    stack.sesFaults!.clear();
    for (let i = 0; i < 3; i += 1) await stack.afterVisibilityTimeout();

    const after = await stack.ports.store.listDeliveries('firm-reliability', created.id);
    expect(after.map((d) => `${d.state} ${d.reason ?? ''}`.trim())).toEqual(['sent']);
    expect((await sentTo(`${title} (rettet)`)) + (await sentTo(title))).toBe(1);
  });

  it('still sends it when the firm switches to a time zone with the same offsets (Oslo to Stockholm) just after its time', async () => {
    const title = titleFor('zone switch', 0);
    // 12:05 in Oslo on 2027-05-02 (10:05Z); the clock is at 10:00Z.
    stack.clock.set('2027-05-02T10:00:00Z');
    const created = await stack.api.post('/tasks', {
      title,
      customerId: stack.customerId,
      deadline: '2027-05-02',
      notices: [{ when: 'before', offset: 'PT0S', sendAt: '12:05', channels: ['email'], subject: 'Frist: {{task.title}}', message: 'Husk {{task.title}}.' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.nextNoticeAt).toBe('2027-05-02T10:05:00Z');
    stack.clock.set('2027-05-02T10:05:20Z');
    const settings = (await stack.api.get('/settings')).body;
    const saved = await stack.api.put('/settings', {
      firm: settings.firm,
      timeZone: 'Europe/Stockholm',
      emailSender: settings.emailSender,
      smsAccount: { username: settings.smsAccount.username },
      smsSenderActivated: settings.smsSenderActivated,
      maxLatenessHours: settings.maxLatenessHours,
      version: settings.version,
    });
    expect(saved.status).toBe(200);
    // Stockholm and Oslo share their offsets all year: no instant of the plan moved.
    await stack.runDue();
    for (let i = 0; i < 3; i += 1) await stack.afterVisibilityTimeout();
    const records = await stack.ports.store.listDeliveries('firm-reliability', created.body.id);
    expect({ records: records.map((r) => r.state), emails: await sentTo(title) }).toEqual({ records: ['sent'], emails: 1 });
  });
});
