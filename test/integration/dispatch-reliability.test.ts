import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchNotice } from '../../shared/use-cases/dispatch-notice.ts';
import { deliveryId } from '../../shared/domain/delivery.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-reliability';
const clock = new TestClock(new Date('2027-05-01T10:00:00Z'));

let stack: TestStack;
let api: ApiClient;
let customerId: string;

const both = (overrides: Record<string, unknown> = {}) =>
  emailNotice({
    channels: ['email', 'sms'],
    offset: 'PT0S',
    subject: 'Frist for {{task.title}}: {{task.deadline}}',
    message: 'Hei {{customer.name}}!\nHusk {{task.title}} – frist {{task.deadline}}.\nVennlig hilsen {{firm.name}}',
    ...overrides,
  });

const outbox = () => stack.outbox();

async function deliveryStates(taskId: string): Promise<string[]> {
  const items = (await api.get(`/tasks/${taskId}/deliveries`)).body.items as { channel: string; state: string; reason?: string; attempts: number }[];
  return items.map((d) => [d.channel, d.state, d.reason, d.attempts].filter((x) => x !== undefined).join(' '));
}

function eventOf(taskId: string) {
  const [schedule] = stack.schedulesOf(TENANT, taskId);
  return JSON.parse(schedule!.Target.Input!);
}

/** A task whose single notice falls due one minute from the clock's now. */
async function dueTask(notice = both(), customer = customerId) {
  const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  return createTask(api, customer, { title: 'Bilag', deadline, notices: [notice] });
}

async function fireDue() {
  clock.advance(60_000);
  await stack.scheduler.runDue();
}

beforeAll(async () => {
  stack = await startTestStack({ clock, injectFaults: true });
  api = await stack.as(TENANT);
  await api.put('/settings', {
    firm: { name: 'Tall og Tid' },
    emailSender: { from: 'varsel@tallogtid.example', displayName: 'Tall og Tid' },
    smsAccount: { username: 'tallogtid', password: 'hemmelig' },
    version: 0,
  });
  customerId = (await createCustomer(api, { name: 'Åse Ødegård', email: 'ase@odegard.example', mobile: '+4741234567' })).id;
});
afterAll(() => stack.stop());
beforeEach(() => stack.clearOutbox());

describe('exactly once', () => {
  it('sends once when one invocation is replayed ten times at once', async () => {
    const task = await dueTask();
    clock.advance(60_000);
    const event = eventOf(task.id);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => dispatchNotice(stack.sendingPorts, event)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    const sent = await outbox();
    expect(sent.emails).toHaveLength(1);
    expect(sent.sms).toHaveLength(1);
    expect(await deliveryStates(task.id)).toEqual(['email sent 1', 'sms sent 1']);
    // And a replay long after changes nothing either.
    clock.advance(3_600_000);
    await dispatchNotice(stack.sendingPorts, event);
    expect((await outbox()).emails).toHaveLength(1);
  });

  it('retries a delivery whose claim a crashed attempt left behind, once its lease has run out', async () => {
    const task = await dueTask(both({ channels: ['email'] }));
    clock.advance(60_000);
    const event = eventOf(task.id);
    const now = clock.now();
    // An attempt of dispatch that claimed and then died: no send, no release.
    await stack.sendingPorts.store.claimDelivery(TENANT, {
      id: deliveryId(task.id, event.noticeId, event.occurrenceAt, 'email'),
      taskId: task.id,
      noticeId: event.noticeId,
      customerId,
      occurrenceAt: event.occurrenceAt,
      channel: 'email',
      state: 'claimed',
      attempts: 0,
      updatedAt: now.toISOString(),
      claimedUntil: new Date(now.getTime() + 300_000).toISOString(),
    }, now.toISOString());

    expect(await dispatchNotice(stack.sendingPorts, event)).toEqual({ outcomes: { email: 'duplicate' } });
    expect((await outbox()).emails).toHaveLength(0);

    clock.advance(301_000);
    expect(await dispatchNotice(stack.sendingPorts, event)).toEqual({ outcomes: { email: 'sent' } });
    expect((await outbox()).emails).toHaveLength(1);
    expect(await deliveryStates(task.id)).toEqual(['email sent 2']);
  });

  it('uses the default SMS sender until the firm sender is activated', async () => {
    await dueTask();
    await fireDue();
    expect(stack.sms.sent[0]).toMatchObject({ from: 'Frist', username: 'tallogtid', reference: expect.stringMatching(/-sms$/) });
  });
});

describe('failures', () => {
  it('retries an SES throttle and an SMS 500, then succeeds', async () => {
    const task = await dueTask();
    stack.sesFaults!.failNext(429, 'TooManyRequestsException', 5);
    stack.sms.failNext(500, 2);
    await fireDue();
    expect(await outbox()).toEqual({ emails: [], sms: [] });
    expect(await deliveryStates(task.id)).toEqual([
      'email pending SES refused the message: TooManyRequestsException 1',
      'sms pending the SMS gateway answered 500: injected failure 500 1',
    ]);

    for (let i = 0; i < 4; i += 1) {
      clock.advance(10_000);
      await stack.scheduler.runDue();
    }
    const sent = await outbox();
    expect(sent.emails).toHaveLength(1);
    expect(sent.sms).toHaveLength(1);
    const states = await deliveryStates(task.id);
    expect(states[0]).toMatch(/^email sent \d$/);
    expect(states[1]).toMatch(/^sms sent \d$/);
    expect(stack.scheduler.fired.filter((f) => !f.ok).length).toBeGreaterThanOrEqual(1);
    expect(stack.scheduler.deadLetters).toEqual([]);
  });

  it('ends a notice that was being retried as skipped when its task is completed meanwhile', async () => {
    const task = await dueTask(both({ channels: ['sms'] }));
    stack.sms.failNext(500, 2);
    await fireDue();
    expect(await deliveryStates(task.id)).toEqual(['sms pending the SMS gateway answered 500: injected failure 500 1']);
    await api.post(`/tasks/${task.id}/complete`);
    clock.advance(10_000);
    await stack.scheduler.runDue();
    expect(stack.sms.sent).toHaveLength(0);
    expect(await deliveryStates(task.id)).toEqual(['sms skipped task-completed 1']);
    stack.sms.clear();
  });

  it('records an SMS 400 as failed and does not retry it', async () => {
    const task = await dueTask(both({ channels: ['sms'] }));
    stack.sms.failNext(400, 1);
    await fireDue();
    clock.advance(600_000);
    await stack.scheduler.runDue();
    expect(stack.sms.sent).toHaveLength(0);
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ channel: 'sms', state: 'failed', attempts: 1, reason: 'the SMS gateway answered 400: injected failure 400' });
  });

  it('gives a notice that keeps failing to the dead-letter queue after the retry policy', async () => {
    const task = await dueTask(both({ channels: ['email'] }));
    stack.sesFaults!.failNext(503, 'ServiceUnavailable', 100);
    await fireDue();
    for (let i = 0; i < 20; i += 1) {
      clock.advance(300_000);
      await stack.scheduler.runDue();
    }
    expect(stack.scheduler.deadLetters).toEqual([
      expect.objectContaining({ deadLetterArn: stack.config.SCHEDULER_DLQ_ARN, attempts: 9, input: expect.objectContaining({ taskId: task.id }) }),
    ]);
    stack.scheduler.deadLetters.length = 0;
    stack.sesFaults!.clear();
  });
});

describe('failures after the provider accepted the message', () => {
  it('files an SMS whose filing failed on the next attempt, without sending it again', async () => {
    const task = await dueTask(both({ channels: ['sms'] }));
    clock.advance(60_000);
    const event = eventOf(task.id);
    const archive = stack.sendingPorts.archive;
    let failures = 1;
    const flakyArchive = {
      ...archive,
      put: async (key: string, body: Buffer, type: string) => {
        if (failures-- > 0) throw new Error('S3 is down');
        return archive.put(key, body, type);
      },
      get: (key: string) => archive.get(key),
    };
    await expect(dispatchNotice({ ...stack.sendingPorts, archive: flakyArchive }, event)).rejects.toThrow('S3 is down');
    expect(stack.sms.sent).toHaveLength(1);
    const [unfiled] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(unfiled).toMatchObject({ state: 'sent' });
    expect(unfiled.documentId).toBeUndefined();

    expect(await dispatchNotice(stack.sendingPorts, event)).toEqual({ outcomes: { sms: 'duplicate' } });
    expect(stack.sms.sent).toHaveLength(1);
    const [filed] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(filed.documentId).toBe(filed.id);
    expect((await api.get(`/documents/${filed.documentId}`)).body).toMatchObject({ text: expect.stringContaining('Åse'), providerId: filed.providerId });
  });
});

describe('skips', () => {
  it('records a skip for a channel the customer opted out of, and for a missing address', async () => {
    const optedOut = await createCustomer(api, { name: 'Nei Takk', email: 'nei@takk.example', mobile: '+4791111111', optIn: { email: true, sms: false } });
    const task = await dueTask(both(), optedOut.id);
    await api.put(`/customers/${optedOut.id}`, { name: 'Nei Takk', mobile: '+4791111111', optIn: { email: true, sms: false }, version: optedOut.version });
    await fireDue();
    expect(await outbox()).toEqual({ emails: [], sms: [] });
    expect(await deliveryStates(task.id)).toEqual(['email skipped no-address 0', 'sms skipped opted-out 0']);
  });

  it('skips an occurrence that is no longer in the plan', async () => {
    const task = await dueTask();
    const event = eventOf(task.id);
    await api.put(`/tasks/${task.id}`, { title: 'Bilag', customerId, deadline: '2027-12-01', notices: [{ ...both(), id: task.notices[0]!.id }], version: task.version });
    clock.advance(60_000);
    await dispatchNotice(stack.sendingPorts, event);
    expect(await outbox()).toEqual({ emails: [], sms: [] });
    expect((await deliveryStates(task.id)).slice(0, 2)).toEqual(['email skipped stale 0', 'sms skipped stale 0']);
  });

  it('skips the occurrence of a deleted task', async () => {
    const task = await dueTask();
    const event = eventOf(task.id);
    await api.delete(`/tasks/${task.id}`);
    clock.advance(60_000);
    const report = await dispatchNotice(stack.sendingPorts, event);
    expect(report).toEqual({ outcomes: { all: 'skipped' }, reason: 'task-deleted' });
    expect(await outbox()).toEqual({ emails: [], sms: [] });
  });
});

describe('the document center', () => {
  it('files the exact .eml: headers, both alternatives and æøå intact', async () => {
    const task = await dueTask();
    await fireDue();
    const [email, sms] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    const response = await fetch(`${stack.apiUrl}/documents/${email.documentId}`, { headers: { authorization: `Bearer ${await stack.token(TENANT)}` } });
    expect(response.headers.get('content-type')).toBe('message/rfc822');
    const parsed = await simpleParser(Buffer.from(await response.arrayBuffer()));
    expect(parsed.from?.value).toEqual([{ address: 'varsel@tallogtid.example', name: 'Tall og Tid' }]);
    expect((parsed.to as AddressObject).value).toEqual([{ address: 'ase@odegard.example', name: 'Åse Ødegård' }]);
    expect(parsed.subject).toMatch(/^Frist for Bilag: \d\d\.\d\d\.2027 kl\. \d\d:\d\d$/);
    expect(parsed.messageId).toBe(`<${email.id}@frist>`);
    expect(parsed.text).toContain('Hei Åse Ødegård!\nHusk Bilag – frist');
    expect(parsed.html).toContain('Hei Åse Ødegård!<br>');
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });

    const record = await api.get(`/documents/${sms.documentId}`);
    expect(record.body).toMatchObject({
      sender: 'Frist',
      recipient: '+4741234567',
      encoding: 'UCS-2',
      segments: 2,
      providerId: sms.providerId,
    });
    expect(record.body.text).toContain('Hei Åse Ødegård!');
  });

  it('lists documents per customer, newest first, with paging', async () => {
    const page = await api.get(`/documents?customerId=${customerId}&limit=2`);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items[0].sentAt >= page.body.items[1].sentAt).toBe(true);
    expect(page.body.nextCursor).toBeDefined();
  });

  it('refuses a document list without a customer or task', async () => {
    const res = await api.get('/documents');
    expect(res.status).toBe(422);
  });

  it("answers 404 for another firm's deliveries and documents", async () => {
    const task = await dueTask();
    await fireDue();
    const [email] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    const intruder = await stack.as('firm-intruder');
    expect((await intruder.get(`/tasks/${task.id}/deliveries`)).status).toBe(404);
    expect((await intruder.get(`/documents/${email.documentId}`)).status).toBe(404);
    expect((await intruder.get(`/documents?customerId=${customerId}`)).body.items).toEqual([]);
    expect((await intruder.get(`/documents?taskId=${task.id}`)).body.items).toEqual([]);
  });
});
