import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { dispatchEventOf, startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-dispatch';
const clock = new TestClock(new Date('2027-02-01T10:00:00Z'));

let stack: TestStack;
let api: ApiClient;
let customerId: string;

const outbox = () => stack.outbox();

/** Moves the clock and lets the Scheduler emulator fire what is due. */
async function at(iso: string) {
  clock.set(iso);
  await stack.runDue();
}

const schedulesOf = (taskId: string) => stack.schedulesOf(TENANT, taskId);

const both = (overrides: Record<string, unknown> = {}) =>
  emailNotice({
    channels: ['email', 'sms'],
    subject: 'Påminnelse: {{task.title}} {{task.deadline}}',
    message: 'Hei {{customer.name}}! Fristen for «{{task.title}}» er {{task.deadline}}. Hilsen {{firm.name}}',
    ...overrides,
  });

beforeAll(async () => {
  stack = await startTestStack({ clock, injectFaults: true });
  api = await stack.as(TENANT);
  await api.put('/settings', {
    firm: { name: 'Tall & Tid AS' },
    emailSender: { from: 'varsel@tallogtid.example', replyTo: 'post@tallogtid.example', displayName: 'Tall og Tid' },
    smsAccount: { username: 'tallogtid', password: 'hemmelig' },
    smsSender: 'TallOgTid',
    smsSenderActivated: true,
    version: 0,
  });
  customerId = (await createCustomer(api, { name: 'Ærlig Øl & Brød AS', email: 'post@erlig.example', mobile: '91234567' })).id;
});
afterAll(() => stack.stop());
beforeEach(() => stack.clearOutbox());

describe('scheduling', () => {
  it('creates one one-time UTC schedule per future occurrence with retry policy and dead-letter queue, sending to the fair dispatch queue with the firm as group', async () => {
    const task = await createTask(api, customerId, {
      deadline: '2028-02-10',
      notices: [both(), both({ when: 'after', offset: 'P1D', repeat: { every: 7, times: 1 } })],
    });
    const schedules = schedulesOf(task.id);
    expect(schedules.map((s) => s.ScheduleExpression).sort()).toEqual(['at(2028-02-07T08:00:00)', 'at(2028-02-11T08:00:00)', 'at(2028-02-18T08:00:00)']);
    for (const s of schedules) {
      expect(s.Name).toMatch(/^[0-9a-zA-Z-_.]{1,64}$/);
      expect(s).toMatchObject({
        GroupName: 'frist',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: {
          // The universal target: its input is SendMessage's request, as the CDK stack deploys it.
          Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage',
          RoleArn: stack.config.SCHEDULER_ROLE_ARN,
          DeadLetterConfig: { Arn: stack.config.SCHEDULER_DLQ_ARN },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        },
      });
      const request = JSON.parse(s.Target.Input!);
      expect(request).toEqual({ QueueUrl: stack.dispatchQueue.url, MessageBody: expect.any(String), MessageGroupId: TENANT });
      expect(JSON.parse(request.MessageBody)).toEqual({
        tenantId: TENANT,
        taskId: task.id,
        noticeId: expect.any(String),
        occurrenceAt: expect.any(String),
        planVersion: 1,
        // The task's customer, named so that dispatch reads it with the task.
        customerId,
      });
    }
  });

  it('moves the schedules when the deadline changes (a new schedule for each new instant), touching only those that changed', async () => {
    const task = await createTask(api, customerId, {
      deadline: '2028-02-10',
      notices: [both(), both({ when: 'after', offset: 'P1D', sendAt: '12:00' })],
    });
    const before = new Map(schedulesOf(task.id).map((s) => [s.Name, { ...s }]));
    const res = await api.put(`/tasks/${task.id}`, {
      title: 'MVA-melding',
      customerId,
      deadline: '2028-02-12',
      notices: task.notices.map((n, i) => ({ ...(i === 0 ? both() : both({ when: 'after', offset: 'P1D', sendAt: '12:00' })), id: n.id })),
      version: task.version,
    });
    expect(res.status).toBe(200);
    const after = schedulesOf(task.id);
    expect(after.filter((s) => before.has(s.Name))).toEqual([]);
    expect(after.map((s) => s.ScheduleExpression).sort()).toEqual(['at(2028-02-09T08:00:00)', 'at(2028-02-13T11:00:00)']);

    const { title: _title, customerId: sameCustomer, deadline, notices, version } = res.body;
    const unchanged = await api.put(`/tasks/${task.id}`, { title: 'Ny tittel', customerId: sameCustomer, deadline, notices, version });
    expect(unchanged.status).toBe(200);
    expect(schedulesOf(task.id)).toEqual(after);
  });

  it('schedules a date-only deadline on a DST day at the right local time', async () => {
    const task = await createTask(api, customerId, {
      deadline: '2027-03-28',
      notices: [both({ offset: 'PT0S', sendAt: '09:00' }), both({ offset: 'PT0S', sendAt: '02:30' })],
    });
    expect(
      schedulesOf(task.id)
        .map((s) => s.ScheduleExpression)
        .sort(),
    ).toEqual([
      'at(2027-03-28T01:30:00)', // 02:30 does not exist; 03:30 CEST (the e-mail)
      'at(2027-03-28T06:00:00)', // its SMS waits for the end of quiet hours: 08:00 CEST
      'at(2027-03-28T07:00:00)', // 09:00 CEST
    ]);
  });

  it('removes the schedules of a completed or deleted task', async () => {
    const task = await createTask(api, customerId, { deadline: '2028-02-10', notices: [both()] });
    expect(schedulesOf(task.id)).toHaveLength(1);
    await api.post(`/tasks/${task.id}/complete`);
    expect(schedulesOf(task.id)).toHaveLength(0);
    await api.post(`/tasks/${task.id}/reopen`);
    expect(schedulesOf(task.id)).toHaveLength(1);
    await api.delete(`/tasks/${task.id}`);
    expect(schedulesOf(task.id)).toHaveLength(0);
  });
});

describe('sending at the right time', () => {
  it('still sends a notice whose schedule predates the fair queue: the templated SQS target, the event itself as input, no group', async () => {
    clock.set('2027-03-01T10:00:00Z');
    const task = await createTask(api, customerId, { title: 'Gammel plan', deadline: '2027-03-10', notices: [emailNotice({ subject: '{{task.title}}' })] });
    const [schedule] = schedulesOf(task.id);
    // As CreateSchedule stored it before the universal target: Arn = the queue, Input = the message body.
    schedule!.Target = { ...schedule!.Target, Arn: stack.dispatchQueue.arn, Input: JSON.stringify(dispatchEventOf(schedule!)) };
    await at(`${schedule!.ScheduleExpression.slice(3, -1)}Z`);
    expect((await outbox()).emails.map((e) => e.subject)).toEqual(['Gammel plan']);
  });

  // libphonenumber loads on a notice's first need (shared/domain/merge-values.ts, the SMS
  // country check): the first phone merge code and the first SMS of this process load it.
  it('fills a phone merge code with the formatted number, in the e-mail and the SMS', async () => {
    clock.set('2027-04-01T10:00:00Z');
    await createTask(api, customerId, {
      title: 'Mobilnummer',
      deadline: '2027-04-10T14:00:00+02:00',
      notices: [both({ offset: 'P1D', subject: 'Til {{kunde.mobil}}', message: 'Vi sender til {{customer.mobile}}.' })],
    });
    await at('2027-04-09T12:00:00Z');
    const sent = await outbox();
    expect(sent.emails.map((e) => e.subject)).toEqual(['Til 912 34 567']);
    expect(sent.emails[0]!.text).toContain('Vi sender til 912 34 567.');
    expect(sent.sms).toEqual([expect.objectContaining({ to: '+4791234567', text: 'Vi sender til 912 34 567.' })]);
  });

  it('sends a before- and an after-deadline notice by e-mail and SMS with the merge codes filled', async () => {
    clock.set('2027-02-01T10:00:00Z');
    const task = await createTask(api, customerId, {
      title: 'Årsoppgjør',
      deadline: '2027-02-10T14:00:00+01:00',
      notices: [both({ offset: 'P1D' }), both({ when: 'after', offset: 'PT2H', subject: 'Forsinket: {{task.title}}' })],
    });

    await at('2027-02-09T12:59:00Z');
    expect((await outbox()).emails).toHaveLength(0);

    await at('2027-02-09T13:00:00Z');
    let sent = await outbox();
    expect(sent.emails).toHaveLength(1);
    expect(sent.emails[0]).toMatchObject({
      to: ['"Ærlig Øl & Brød AS" <post@erlig.example>'],
      subject: 'Påminnelse: Årsoppgjør 10.02.2027 kl. 14:00',
    });
    expect(sent.emails[0]!.text).toContain('Hei Ærlig Øl & Brød AS! Fristen for «Årsoppgjør» er 10.02.2027 kl. 14:00. Hilsen Tall & Tid AS');
    expect(sent.sms).toEqual([
      expect.objectContaining({
        from: 'TallOgTid',
        to: '+4791234567',
        text: 'Hei Ærlig Øl & Brød AS! Fristen for «Årsoppgjør» er 10.02.2027 kl. 14:00. Hilsen Tall & Tid AS',
      }),
    ]);

    const row = (await api.get(`/tasks?customerId=${customerId}&deadlineFrom=2027-02-10&deadlineTo=2027-02-10`)).body.items.find(
      (t: { id: string }) => t.id === task.id,
    );
    expect(row).toMatchObject({ schedules: { pending: 1, fired: 1 }, nextNoticeAt: '2027-02-10T15:00:00Z' });
    const plan = (await api.get(`/tasks/${task.id}/plan`)).body.occurrences;
    expect(plan.map((o: { schedule: string }) => o.schedule)).toEqual(['fired', 'pending']);

    await at('2027-02-10T15:00:00Z');
    sent = await outbox();
    expect(sent.emails.map((e) => e.subject)).toEqual(['Påminnelse: Årsoppgjør 10.02.2027 kl. 14:00', 'Forsinket: Årsoppgjør']);
    expect(sent.sms).toHaveLength(2);

    const deliveries = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(deliveries.map((d: { channel: string; state: string }) => `${d.channel} ${d.state}`)).toEqual(['email sent', 'sms sent', 'email sent', 'sms sent']);
    expect(deliveries.every((d: { providerId?: string; documentId?: string }) => d.providerId && d.documentId)).toBe(true);

    const documents = (await api.get(`/documents?customerId=${customerId}&taskId=${task.id}`)).body.items;
    expect(documents).toHaveLength(4);
    expect(schedulesOf(task.id)).toHaveLength(0);
  });

  it('never sends an after-deadline notice once the task is completed, and records the skip', async () => {
    clock.set('2027-02-01T10:00:00Z');
    const task = await createTask(api, customerId, { deadline: '2027-02-10', notices: [both({ when: 'after', offset: 'P1D' })] });
    const [schedule] = schedulesOf(task.id);
    await api.post(`/tasks/${task.id}/complete`);

    // Even a schedule that survived the completion (a failed delete) only records a skip.
    await stack.scheduler.invokeTarget(schedule!.Target.Arn, JSON.parse(schedule!.Target.Input!));
    await at('2027-02-11T09:00:00Z');
    expect(await outbox()).toEqual({ emails: [], sms: [] });
    const deliveries = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(deliveries.map((d: { channel: string; state: string; reason: string }) => `${d.channel} ${d.state} ${d.reason}`)).toEqual([
      'email skipped task-completed',
      'sms skipped task-completed',
    ]);
  });

  it('shows the occurrences completion stopped as skipped, though no schedule fired for them', async () => {
    clock.set('2027-02-01T10:00:00Z');
    const task = await createTask(api, customerId, {
      deadline: '2027-02-01T12:00:00Z',
      notices: [both({ offset: 'PT1H' }), both({ when: 'after', offset: 'PT0S' })],
    });
    await api.post(`/tasks/${task.id}/complete`);
    await at('2027-02-01T13:00:00Z');
    expect(await outbox()).toEqual({ emails: [], sms: [] });
    const deliveries = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(deliveries.map((d: { state: string; reason: string }) => `${d.state} ${d.reason}`)).toEqual([
      'skipped task-completed',
      'skipped task-completed',
      'skipped task-completed',
      'skipped task-completed',
    ]);
  });

  it('tells in the plan that an occurrence was sent, after a completion and a reopening re-planned it as past', async () => {
    clock.set('2027-03-01T08:00:00Z');
    const task = await createTask(api, customerId, { deadline: '2027-03-01T10:00:00Z', notices: [both({ offset: 'PT1H' })] });
    await at('2027-03-01T09:00:30Z');
    await api.post(`/tasks/${task.id}/complete`);
    await api.post(`/tasks/${task.id}/reopen`);
    const [occurrence] = (await api.get(`/tasks/${task.id}/plan`)).body.occurrences;
    expect(occurrence).toMatchObject({
      state: 'past',
      deliveries: [
        { channel: 'email', state: 'sent' },
        { channel: 'sms', state: 'sent' },
      ],
    });
  });

  it('shows occurrences that were due before the save as skipped past-at-save', async () => {
    clock.set('2027-02-01T10:00:00Z');
    const task = await createTask(api, customerId, { deadline: '2027-02-01T12:00:00Z', notices: [both({ channels: ['email'], offset: 'PT3H' })] });
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ state: 'skipped', reason: 'past-at-save', occurrenceAt: '2027-02-01T09:00:00Z' });
  });
});
