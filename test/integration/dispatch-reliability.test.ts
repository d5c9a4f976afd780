import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchNotice } from '../../shared/use-cases/dispatch-notice.ts';
import { deliveryId } from '../../shared/domain/delivery.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { dispatchEventOf, startTestStack, type ApiClient, type TestStack } from './harness.ts';

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
  return dispatchEventOf(schedule!);
}

/** A task whose single notice falls due one minute from the clock's now. */
async function dueTask(notice = both(), customer = customerId) {
  const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  return createTask(api, customer, { title: 'Bilag', deadline, notices: [notice] });
}

async function fireDue() {
  clock.advance(60_000);
  await stack.runDue();
}

beforeAll(async () => {
  stack = await startTestStack({ clock, injectFaults: true });
  api = await stack.as(TENANT);
  await api.put('/settings', {
    firm: { name: 'Tall og Tid', email: 'post@tallogtid.example' },
    emailSender: { from: 'varsel@tallogtid.example', displayName: 'Tall og Tid' },
    smsAccount: { username: 'tallogtid', password: 'hemmelig' },
    // This suite's clock runs hours on through the night; quiet hours have their own suite (send-rules.test.ts).
    quietHours: { enabled: false, start: '21:00', end: '08:00' },
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

  it('comes back to a delivery that a live claim holds, and takes over the claim once the attempt holding it died', async () => {
    const task = await dueTask(both({ channels: ['email'] }));
    clock.advance(60_000);
    const event = eventOf(task.id);
    const now = clock.now();
    // An attempt of dispatch that claimed and then died: no send, no release.
    await stack.sendingPorts.store.claimDelivery(
      TENANT,
      {
        id: deliveryId(task.id, event.noticeId, event.occurrenceAt, 'email'),
        taskId: task.id,
        noticeId: event.noticeId,
        customerId,
        occurrenceAt: event.occurrenceAt,
        channel: 'email',
        state: 'claimed',
        attempts: 0,
        updatedAt: now.toISOString(),
        claimedUntil: new Date(now.getTime() + stack.config.CLAIM_LEASE_SECONDS * 1000).toISOString(),
      },
      now.toISOString(),
    );

    // Not "done": the holder may be dead, so this invocation must come back.
    expect(await dispatchNotice(stack.sendingPorts, event)).toEqual({ outcomes: { email: 'retry' }, details: { email: { code: 'claim-held' } } });
    expect((await outbox()).emails).toHaveLength(0);

    clock.advance(stack.config.CLAIM_LEASE_SECONDS * 1000 + 1000);
    expect(await dispatchNotice(stack.sendingPorts, event)).toEqual({ outcomes: { email: 'sent' } });
    expect((await outbox()).emails).toHaveLength(1);
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    // The dead attempt may have reached SES before it died: the firm is told.
    expect(delivery).toMatchObject({ state: 'sent', attempts: 2, possibleDuplicate: true });
  });

  it('uses the default SMS sender until the firm sender is activated', async () => {
    await dueTask();
    await fireDue();
    // The reference is the delivery's short SMS reference (shared/domain/sms-reference.ts).
    expect(stack.sms.sent[0]).toMatchObject({ from: 'Frist', username: 'tallogtid', reference: expect.stringMatching(/^[0-9a-z]{26}$/) });
  });
});

/** Lets the dispatch queue's visibility timeout pass and delivers what came back. */
async function afterVisibilityTimeout() {
  clock.advance(180_000);
  await stack.runDue();
}

describe('failures', () => {
  it('retries an SES throttle and an SMS 500 through the queue, then succeeds', async () => {
    const task = await dueTask();
    stack.sesFaults!.failNext(429, 'TooManyRequestsException', 1);
    stack.sms.failNext(500, 1);
    await fireDue();
    expect(await outbox()).toEqual({ emails: [], sms: [] });
    expect(await deliveryStates(task.id)).toEqual([
      'email pending SES answered 429 TooManyRequestsException: injected TooManyRequestsException 1',
      'sms pending the SMS gateway answered 500: injected failure 500 1',
    ]);
    // The Scheduler handed the message over once and never sees dispatch's failure (as on AWS).
    expect(stack.dispatchQueue.list()).toHaveLength(1);
    expect(stack.scheduler.retrying).toEqual([]);
    expect(stack.scheduler.fired.filter((f) => f.name.includes(task.id))).toEqual([expect.objectContaining({ attempt: 1, ok: true })]);

    await afterVisibilityTimeout();
    const sent = await outbox();
    expect(sent.emails).toHaveLength(1);
    expect(sent.sms).toHaveLength(1);
    expect(await deliveryStates(task.id)).toEqual(['email sent 2', 'sms sent 2']);
    expect(stack.dispatchQueue.list()).toHaveLength(0);
  });

  it('ends a notice that was being retried as skipped when its task is completed meanwhile', async () => {
    const task = await dueTask(both({ channels: ['sms'] }));
    stack.sms.failNext(500, 1);
    await fireDue();
    expect(await deliveryStates(task.id)).toEqual([expect.stringMatching(/^sms pending .*500.* 1$/)]);
    await api.post(`/tasks/${task.id}/complete`);
    expect(await deliveryStates(task.id)).toEqual(['sms skipped task-completed 1']);
    await afterVisibilityTimeout();
    expect(stack.sms.sent).toHaveLength(0);
    expect(await deliveryStates(task.id)).toEqual(['sms skipped task-completed 1']);
    expect(stack.dispatchQueue.list()).toHaveLength(0);
  });

  it('records an SMS 400 as failed and does not retry it', async () => {
    const task = await dueTask(both({ channels: ['sms'] }));
    stack.sms.failNext(400, 1);
    await fireDue();
    await afterVisibilityTimeout();
    expect(stack.sms.sent).toHaveLength(0);
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ channel: 'sms', state: 'failed', attempts: 1, reason: expect.stringContaining('400') });
    expect(stack.dispatchQueue.list()).toHaveLength(0);
  });

  it('keeps retrying a notice through an SES outage for hours, then hands it to the dead-letter queue', async () => {
    const task = await dueTask(both({ channels: ['email'] }));
    stack.sesFaults!.failNext(503, 'ServiceUnavailable', 100_000);
    await fireDue();
    // 160 receives three minutes apart: 8 hours of retries.
    for (let i = 0; i < 160; i += 1) await afterVisibilityTimeout();
    expect(stack.dispatchQueue.list()).toHaveLength(0);
    expect(stack.dispatchDeadLetters.list()).toEqual([expect.objectContaining({ body: expect.stringContaining(task.id) })]);
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ state: 'pending', attempts: 160 });
    stack.dispatchDeadLetters.clear();
    stack.sesFaults!.clear();
  });
});

describe('failures after the provider accepted the message', () => {
  it('files an SMS whose filing failed on the next attempt, without sending it again', async () => {
    const task = await dueTask(both({ channels: ['sms'] }));
    clock.advance(60_000);
    const event = eventOf(task.id);
    const archive = stack.sendingPorts.archive;
    let failures = 3;
    const flakyArchive = {
      ...archive,
      put: async (key: string, body: Buffer, type: string) => {
        if (failures-- > 0) throw new Error('S3 is down');
        return archive.put(key, body, type);
      },
      get: (key: string) => archive.get(key),
    };
    expect(await dispatchNotice({ ...stack.sendingPorts, archive: flakyArchive }, event)).toEqual({
      outcomes: { sms: 'retry' },
      details: { sms: { code: 'record-failed' } },
    });
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

  it('ignores an occurrence that is no longer in the plan, writing no record of it', async () => {
    const task = await dueTask();
    const event = eventOf(task.id);
    await api.put(`/tasks/${task.id}`, {
      title: 'Bilag',
      customerId,
      deadline: '2027-12-01',
      notices: [{ ...both(), id: task.notices[0]!.id }],
      version: task.version,
    });
    clock.advance(60_000);
    expect(await dispatchNotice(stack.sendingPorts, event)).toEqual({ outcomes: {}, ignored: 'not-planned' });
    expect(await outbox()).toEqual({ emails: [], sms: [] });
    expect(await deliveryStates(task.id)).toEqual(['email pending 0', 'sms pending 0']);
  });

  it('ignores the occurrence of a deleted task, writing no record of it', async () => {
    const task = await dueTask();
    const event = eventOf(task.id);
    await api.delete(`/tasks/${task.id}`);
    clock.advance(60_000);
    expect(await dispatchNotice(stack.sendingPorts, event)).toEqual({ outcomes: {}, ignored: 'task-deleted' });
    expect(await outbox()).toEqual({ emails: [], sms: [] });
    expect(await stack.ports.store.listDeliveries(TENANT, task.id)).toEqual([]);
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
    // No Reply-To of its own: replies go to the firm's address, not to the no-reply sender.
    expect(parsed.replyTo?.value).toEqual([{ address: 'post@tallogtid.example', name: '' }]);
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
