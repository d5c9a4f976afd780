import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-send-rules';
const clock = new TestClock(new Date('2027-02-01T10:00:00Z'));

let stack: TestStack;
let api: ApiClient;
let customerId: string;
let settingsVersion: number;
let reconcile: () => Promise<unknown>;

const both = (overrides: Record<string, unknown> = {}) =>
  emailNotice({ channels: ['email', 'sms'], message: 'Hei {{customer.name}}, husk {{task.title}}.', ...overrides });

async function putSettings(changes: Record<string, unknown>) {
  const res = await api.put('/settings', {
    firm: { name: 'Tall & Tid AS' },
    emailSender: { from: 'varsel@tallogtid.example' },
    smsAccount: { username: 'tallogtid', password: 'hemmelig' },
    smsSender: 'TallOgTid',
    smsSenderActivated: true,
    maxLatenessHours: 6,
    ...changes,
    version: settingsVersion,
  });
  expect(res.status).toBe(200);
  settingsVersion = res.body.version;
  return res.body;
}

async function planOf(taskId: string) {
  const res = await api.get(`/tasks/${taskId}/plan`);
  expect(res.status).toBe(200);
  return res.body.occurrences as Record<string, any>[];
}

beforeAll(async () => {
  stack = await startTestStack({ clock, injectFaults: true });
  api = await stack.as(TENANT);
  settingsVersion = 0;
  await putSettings({});
  customerId = (await createCustomer(api, { name: 'Fjord Bakeri AS', email: 'post@fjord.example', mobile: '91234567' })).id;
  const handler = createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 48, graceMinutes: 15 });
  reconcile = () => handler({}, {} as never);
});
afterAll(() => stack.stop());
beforeEach(() => stack.clearOutbox());

describe('settings', () => {
  it('shows the defaults (any day, quiet hours 21:00-08:00) and refuses an empty window', async () => {
    const res = await api.get('/settings');
    expect(res.body).toMatchObject({ sendOn: 'any', quietHours: { enabled: true, start: '21:00', end: '08:00' } });
    const bad = await api.patch('/settings', { quietHours: { enabled: true, start: '22:00', end: '22:00' }, version: settingsVersion });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'quietHours.end', rule: 'quiet-hours-empty' })]);
    // A firm that never set quiet hours turns them off with one member: the window's defaults stay.
    await stack.ports.store.putSettings(
      TENANT,
      { ...(await stack.ports.store.getSettings(TENANT))!, quietHours: undefined, version: settingsVersion + 1 },
      settingsVersion,
    );
    settingsVersion += 1;
    const off = await api.patch('/settings', { quietHours: { enabled: false }, version: settingsVersion });
    expect(off.status).toBe(200);
    expect(off.body.quietHours).toEqual({ enabled: false, start: '21:00', end: '08:00' });
    settingsVersion = off.body.version;
    const on = await api.patch('/settings', { quietHours: { enabled: true }, version: settingsVersion });
    settingsVersion = on.body.version;
    await stack.runDue();
    const typo = await api.patch('/settings', { sendOn: 'weekdays', version: settingsVersion });
    expect(typo.status).toBe(422);
    expect(typo.body.errors).toEqual([expect.objectContaining({ field: 'sendOn', rule: 'one-of' })]);
  });
});

describe('business days', () => {
  it('moves a notice off 17 May 2027 (Whit Monday too, and the Whitsun weekend before) to Friday 14 May, shows why, and moves it back when the firm turns it off', async () => {
    await putSettings({ sendOn: 'businessDays' });
    await stack.runDue();
    const task = await createTask(api, customerId, {
      deadline: '2027-05-18',
      notices: [emailNotice({ offset: 'P1D' }), emailNotice({ offset: 'P1D', sendOn: 'any' })],
    });
    const [moved, kept] = await planOf(task.id);
    expect(moved).toMatchObject({
      noticeId: task.notices[0]!.id,
      at: '2027-05-14T07:00:00Z',
      local: '2027-05-14T09:00+02:00',
      movedFrom: '2027-05-17T07:00:00Z',
      movedFromLocal: '2027-05-17T09:00+02:00',
      movedBecause: [
        { kind: 'holiday', date: '2027-05-17', holiday: 'Grunnlovsdagen' },
        { kind: 'holiday', date: '2027-05-16', holiday: 'Første pinsedag' },
        { kind: 'weekend', date: '2027-05-15' },
      ],
      channels: ['email'],
      schedule: 'pending',
    });
    // The notice that overrides the firm goes out on the holiday.
    expect(kept).toMatchObject({ noticeId: task.notices[1]!.id, local: '2027-05-17T09:00+02:00' });
    expect(kept).not.toHaveProperty('movedFrom');
    expect(
      stack
        .schedulesOf(TENANT, task.id)
        .map((s) => s.ScheduleExpression)
        .sort(),
    ).toEqual(['at(2027-05-14T07:00:00)', 'at(2027-05-17T07:00:00)']);

    // Turning business days off re-plans the open tasks in the background, as a change of zone does.
    const saved = await putSettings({ sendOn: 'any' });
    expect(saved.timeZoneChange).toMatchObject({ state: 'queued' });
    await stack.runDue();
    expect((await api.get('/settings')).body.timeZoneChange).toMatchObject({ state: 'done', replanned: expect.any(Number) });
    expect((await planOf(task.id)).map((o) => o.local)).toEqual(['2027-05-17T09:00+02:00', '2027-05-17T09:00+02:00']);
    expect(stack.schedulesOf(TENANT, task.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-05-17T07:00:00)', 'at(2027-05-17T07:00:00)']);
  });
});

describe('quiet hours', () => {
  it('sends the e-mail at 22:30 and holds the SMS to 08:00, each with its own schedule and delivery', async () => {
    const task = await createTask(api, customerId, { deadline: '2027-02-10T22:30:00+01:00', notices: [both({ when: 'after', offset: 'PT0S' })] });
    const plan = await planOf(task.id);
    // One repetition, two instants: e-mail at its time, SMS at the window's end.
    expect(plan.map((o) => [o.repetition, o.local, o.channels, o.movedBecause ?? []])).toEqual([
      [0, '2027-02-10T22:30+01:00', ['email'], []],
      [0, '2027-02-11T08:00+01:00', ['sms'], [{ kind: 'quiet-hours' }]],
    ]);
    expect(stack.schedulesOf(TENANT, task.id)).toHaveLength(2);

    clock.set('2027-02-10T21:30:00Z');
    await stack.runDue();
    let outbox = await stack.outbox();
    expect(outbox.emails).toHaveLength(1);
    expect(outbox.sms).toHaveLength(0);

    clock.set('2027-02-11T06:59:00Z');
    await stack.runDue();
    expect((await stack.outbox()).sms).toHaveLength(0);
    clock.set('2027-02-11T07:00:00Z');
    await stack.runDue();
    outbox = await stack.outbox();
    expect(outbox.emails).toHaveLength(1);
    expect(outbox.sms).toEqual([expect.objectContaining({ to: '+4791234567' })]);
    const after = await planOf(task.id);
    expect(after.map((o) => o.deliveries)).toEqual([[{ channel: 'email', state: 'sent' }], [{ channel: 'sms', state: 'sent' }]]);
  });

  it('holds a retry that falls inside quiet hours until 08:00, and does not count the wait as lateness', async () => {
    // Due at 20:55; the SMS gateway fails once; the queue brings it back at 20:58, then 21:01.
    const task = await createTask(api, customerId, { deadline: '2027-02-12T20:55:00+01:00', notices: [both({ when: 'after', offset: 'PT0S' })] });
    expect(await planOf(task.id)).toHaveLength(1);
    stack.sms.failNext(503, 2);
    clock.set('2027-02-12T19:55:00Z');
    await stack.runDue();
    clock.advance(180_000);
    await stack.runDue();
    clock.advance(180_000);
    await stack.runDue();
    expect((await stack.outbox()).sms).toHaveLength(0);
    const [held] = await planOf(task.id);
    expect(held!.deliveries).toEqual([
      { channel: 'email', state: 'sent' },
      { channel: 'sms', state: 'pending', reason: "held by the firm's quiet hours until 2027-02-13T07:00:00Z" },
    ]);
    // Nothing comes back through the queue meanwhile: the reconciler hands it back at 08:00.
    expect(stack.dispatchQueue.list()).toHaveLength(0);
    clock.set('2027-02-12T20:15:00Z');
    await reconcile();
    expect(stack.schedulesOf(TENANT, task.id).map((s) => s.ScheduleExpression)).toEqual(['at(2027-02-13T07:00:00)']);
    clock.set('2027-02-12T23:15:00Z');
    await reconcile();
    await stack.runDue();
    expect((await stack.outbox()).sms).toHaveLength(0);

    // 08:00 is 11 hours after its time, over the firm's 6; 10 h 59 of them were quiet hours.
    clock.set('2027-02-13T07:00:00Z');
    await stack.runDue();
    expect((await stack.outbox()).sms).toHaveLength(1);
    const [sent] = await planOf(task.id);
    expect(sent!.deliveries).toEqual([
      { channel: 'email', state: 'sent' },
      { channel: 'sms', state: 'sent' },
    ]);
  });

  it('holds the SMS of a task stored before the rules, and the reconciler plans it under them', async () => {
    const task = await createTask(api, customerId, { deadline: '2027-02-15T22:30:00+01:00', notices: [both({ when: 'after', offset: 'PT0S' })] });
    // As stored before quiet hours existed: one occurrence for both channels, a plan without rules.
    const stored = (await stack.ports.store.getTask(TENANT, task.id))!;
    const [first] = stored.plan.occurrences;
    const old = { plannedAt: stored.plan.plannedAt, timeZone: stored.plan.timeZone, occurrences: [{ ...first!, channels: undefined }] };
    await stack.ports.store.putTask(TENANT, { ...stored, version: stored.version + 1, plan: old }, stored.version);

    clock.set('2027-02-15T21:30:00Z');
    await stack.runDue();
    expect((await stack.outbox()).emails).toHaveLength(1);
    expect((await stack.outbox()).sms).toHaveLength(0);
    clock.set('2027-02-15T21:45:00Z');
    await reconcile();
    const replanned = (await stack.ports.store.getTask(TENANT, task.id))!;
    expect(replanned.plan).toMatchObject({ sendOn: 'any', quietHours: { enabled: true, start: '21:00', end: '08:00' } });
    // The occurrence that was due keeps its instant and both channels: its SMS waits, held.
    expect(replanned.plan.occurrences.map((o) => [o.local, o.channels])).toEqual([['2027-02-15T22:30+01:00', undefined]]);
    clock.set('2027-02-16T07:00:00Z');
    await stack.runDue();
    expect((await stack.outbox()).sms).toHaveLength(1);
    expect((await planOf(task.id))[0]!.deliveries).toEqual([
      { channel: 'email', state: 'sent' },
      { channel: 'sms', state: 'sent' },
    ]);
  });
});
