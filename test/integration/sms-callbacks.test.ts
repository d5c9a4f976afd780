import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSms } from '../../local/fake-sms-gateway.ts';
import { smsReference } from '../../shared/domain/sms-reference.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * Delivery receipts and STOPP end to end, per gateway protocol: the fake gateway sends its
 * SMS, then calls the URLs the firm's settings show (as the firm pasted them into the
 * provider) over real HTTP into the local API gateway, without a token.
 */
describe.each(['sveve', 'generic'] as const)('the %s gateway calls back', (provider) => {
  const TENANT = `firm-callbacks-${provider}`;
  const USERNAME = `acct-${provider}`;
  const clock = new TestClock(new Date('2027-09-01T08:00:00Z'));
  let stack: TestStack;
  let api: ApiClient;
  let urls: { receiptUrl: string; inboundUrl: string; provider: string };

  /** A task whose SMS notice is due a minute from now, sent; the SMS the gateway took. */
  async function sendSms(customerId: string): Promise<{ taskId: string; sms: FakeSms }> {
    const before = stack.sms.sent.length;
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const task = await createTask(api, customerId, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
    clock.advance(60_000);
    await stack.runDue();
    expect(stack.sms.sent).toHaveLength(before + 1);
    return { taskId: task.id, sms: stack.sms.sent.at(-1)! };
  }

  async function smsDelivery(taskId: string) {
    const items = (await api.get(`/tasks/${taskId}/deliveries`)).body.items as { channel: string; state: string; receipt?: Record<string, unknown> }[];
    return items.find((d) => d.channel === 'sms')!;
  }

  beforeAll(async () => {
    stack = await startTestStack({ clock, env: { SMS_PROVIDER: provider } });
    api = await stack.as(TENANT);
    const saved = await api.put('/settings', { smsAccount: { username: USERNAME, password: 'secret' }, version: 0 });
    urls = saved.body.smsGateway;
    stack.sms.configureCallbacks(USERNAME, { receiptUrl: urls.receiptUrl, inboundUrl: urls.inboundUrl });
  });
  afterAll(() => stack.stop());

  it('shows the URLs to paste, under the API, for the deployment’s protocol', () => {
    expect(urls.provider).toBe(provider);
    expect(urls.receiptUrl).toMatch(new RegExp(`^${stack.apiUrl}/sms-gateway/${provider}/${TENANT}/[A-Za-z0-9_-]{32}/receipt$`));
    expect(urls.inboundUrl).toBe(urls.receiptUrl.replace(/receipt$/, 'inbound'));
  });

  it('sends a unique reference of 26 characters, not the cut-off delivery id', async () => {
    const customer = await createCustomer(api, { mobile: '91230001' });
    const { taskId, sms } = await sendSms(customer.id);
    const delivery = (await api.get(`/tasks/${taskId}/deliveries`)).body.items[0];
    expect(sms.reference).toBe(smsReference(delivery.id));
    expect(sms.reference).toHaveLength(26);
  });

  it('marks a sent SMS delivered; a replay and a later undelivered change nothing', async () => {
    const customer = await createCustomer(api, { mobile: '91230002' });
    const { taskId, sms } = await sendSms(customer.id);
    expect((await smsDelivery(taskId)).receipt).toBeUndefined();

    expect(await stack.sms.sendReceipt(sms, { delivered: true })).toBe(204);
    const first = (await smsDelivery(taskId)).receipt;
    expect(first).toEqual({ status: 'delivered', at: clock.now().toISOString() });

    clock.advance(5_000);
    expect(await stack.sms.sendReceipt(sms, { delivered: true })).toBe(204);
    expect(await stack.sms.sendReceipt(sms, { delivered: false, errorCode: '5', errorText: 'expired' })).toBe(204);
    expect((await smsDelivery(taskId)).receipt).toEqual(first);
    const documents = (await api.get(`/documents?taskId=${taskId}`)).body.items;
    expect(documents[0].receipt).toEqual(first);
  });

  it('marks an SMS undelivered with the operator’s reason, phone numbers removed; a later delivered wins', async () => {
    const customer = await createCustomer(api, { mobile: '91230003' });
    const { taskId, sms } = await sendSms(customer.id);
    await stack.sms.sendReceipt(sms, { delivered: false, errorCode: '1', errorText: 'Unknown subscriber +4791230003' });
    expect((await smsDelivery(taskId)).receipt).toEqual({
      status: 'undelivered',
      at: clock.now().toISOString(),
      code: '1',
      reason: 'Unknown subscriber [phone]',
    });
    await stack.sms.sendReceipt(sms, { delivered: true });
    expect((await smsDelivery(taskId)).receipt).toMatchObject({ status: 'delivered' });
  });

  it('answers a receipt for no known SMS exactly like a known one', async () => {
    const unknown: FakeSms = { ...stack.sms.sent[0]!, reference: 'a'.repeat(26), id: 'nope' };
    expect(await stack.sms.sendReceipt(unknown, { delivered: true })).toBe(204);
  });

  it('turns SMS off for every customer of the firm with the number that answered STOPP, and skips their next SMS', async () => {
    const first = await createCustomer(api, { name: 'Ås AS', mobile: '91239999' });
    const second = await createCustomer(api, { name: 'Ås Holding AS', mobile: '+47 912 39 999' });
    const other = await createCustomer(api, { name: 'Annen AS', mobile: '91238888' });
    await sendSms(first.id);

    expect(await stack.sms.pushInbound(USERNAME, provider, { from: '+4791239999', text: 'stopp takk', prefix: 'FRIST' })).toBe(204);
    for (const id of [first.id, second.id]) {
      const customer = (await api.get(`/customers/${id}`)).body;
      expect(customer.optIn).toEqual({ email: true, sms: false });
      expect(customer.optOut).toEqual({ at: clock.now().toISOString(), via: 'sms-stopp' });
    }
    expect((await api.get(`/customers/${other.id}`)).body.optIn.sms).toBe(true);

    const sentBefore = stack.sms.sent.length;
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const task = await createTask(api, first.id, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
    clock.advance(60_000);
    await stack.runDue();
    expect(stack.sms.sent).toHaveLength(sentBefore);
    expect(await smsDelivery(task.id)).toMatchObject({ state: 'skipped', reason: 'opted-out' });
  });

  it('changes nothing more on a replayed STOPP, and answers unknown numbers and other texts the same', async () => {
    const customer = await createCustomer(api, { mobile: '91237777' });
    await stack.sms.pushInbound(USERNAME, provider, { from: '+4791237777', text: 'STOP' });
    const stopped = (await api.get(`/customers/${customer.id}`)).body;
    clock.advance(60_000);
    expect(await stack.sms.pushInbound(USERNAME, provider, { from: '+4791237777', text: 'STOPP' })).toBe(204);
    expect((await api.get(`/customers/${customer.id}`)).body).toEqual(stopped);

    const listening = await createCustomer(api, { mobile: '91236666' });
    expect(await stack.sms.pushInbound(USERNAME, provider, { from: '+4791236666', text: 'Stopper dere snart?' })).toBe(204);
    expect(await stack.sms.pushInbound(USERNAME, provider, { from: '+4799999999', text: 'STOPP' })).toBe(204);
    expect((await api.get(`/customers/${listening.id}`)).body.optIn.sms).toBe(true);
  });

  it('takes STOPP from a number written with 00 for +, and under a keyword that is itself STOPP', async () => {
    const viaZeros = await createCustomer(api, { mobile: '91234321' });
    expect(await stack.sms.pushInbound(USERNAME, provider, { from: '004791234321', text: 'STOPP' })).toBe(204);
    expect((await api.get(`/customers/${viaZeros.id}`)).body.optIn.sms).toBe(false);
    if (provider !== 'sveve') return;
    // Sveve sends `STOPP takk` with prefix STOPP: the keyword is the customer's answer.
    const viaKeyword = await createCustomer(api, { mobile: '91234322' });
    expect(await stack.sms.pushInbound(USERNAME, provider, { from: '+4791234322', text: 'takk', prefix: 'STOPP' })).toBe(204);
    expect((await api.get(`/customers/${viaKeyword.id}`)).body.optIn.sms).toBe(false);
  });

  it('lets the firm turn SMS on again, which removes the opt-out', async () => {
    const customer = await createCustomer(api, { mobile: '91235555' });
    await stack.sms.pushInbound(USERNAME, provider, { from: '+4791235555', text: 'Stopp' });
    const stopped = (await api.get(`/customers/${customer.id}`)).body;
    const kept = await api.patch(`/customers/${customer.id}`, { name: 'Nytt navn AS', version: stopped.version });
    expect(kept.body.optOut).toEqual(stopped.optOut);
    const on = await api.patch(`/customers/${customer.id}`, { optIn: { sms: true }, version: kept.body.version });
    expect(on.body.optIn.sms).toBe(true);
    expect(on.body.optOut).toBeUndefined();
  });

  it('refuses a wrong secret or another firm’s tenant with 404, and a rotated secret at once', async () => {
    const customer = await createCustomer(api, { mobile: '91234444' });
    const wrongSecret = urls.inboundUrl.replace(/\/[A-Za-z0-9_-]{32}\/inbound$/, `/${'x'.repeat(32)}/inbound`);
    const otherTenant = urls.inboundUrl.replace(`/${TENANT}/`, '/firm-someone-else/');
    for (const inboundUrl of [wrongSecret, otherTenant]) {
      stack.sms.configureCallbacks('mallory', { inboundUrl });
      expect(await stack.sms.pushInbound('mallory', provider, { from: '+4791234444', text: 'STOPP' })).toBe(404);
    }
    const rotated = await api.post('/settings/sms-gateway/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body.smsGateway.inboundUrl).not.toBe(urls.inboundUrl);
    expect(await stack.sms.pushInbound(USERNAME, provider, { from: '+4791234444', text: 'STOPP' })).toBe(404);
    expect((await api.get(`/customers/${customer.id}`)).body.optIn.sms).toBe(true);
    urls = rotated.body.smsGateway;
    stack.sms.configureCallbacks(USERNAME, { receiptUrl: urls.receiptUrl, inboundUrl: urls.inboundUrl });
    expect(await stack.sms.pushInbound(USERNAME, provider, { from: '+4791234444', text: 'STOPP' })).toBe(204);
    expect((await api.get(`/customers/${customer.id}`)).body.optIn.sms).toBe(false);
  });
});

describe('receipts that come early, late or for older SMS', () => {
  const TENANT = 'firm-receipt-order';
  const clock = new TestClock(new Date('2027-09-01T08:00:00Z'));
  let stack: TestStack;
  let api: ApiClient;
  /** Set by a test: what happens between the gateway's answer and dispatch marking the delivery sent. */
  let afterGatewayAnswer: (() => Promise<void>) | undefined;
  /** Set by a test: what happens right after dispatch claimed a delivery (its opt-in check was before). */
  let afterClaim: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    stack = await startTestStack({
      clock,
      env: { SMS_PROVIDER: 'sveve' },
      wrapSendingPorts: (ports) => ({
        ...ports,
        store: new Proxy(ports.store, {
          get: (target, name, receiver) =>
            name === 'claimDelivery'
              ? async (...args: Parameters<typeof target.claimDelivery>) => {
                  const claimed = await target.claimDelivery(...args);
                  await afterClaim?.();
                  return claimed;
                }
              : Reflect.get(target, name, receiver),
        }),
        sms: {
          send: async (message) => {
            const answer = await ports.sms.send(message);
            await afterGatewayAnswer?.();
            return answer;
          },
        },
      }),
    });
    api = await stack.as(TENANT);
    const saved = await api.put('/settings', { smsAccount: { username: 'early', password: 'secret' }, version: 0 });
    stack.sms.configureCallbacks('early', { receiptUrl: saved.body.smsGateway.receiptUrl, inboundUrl: saved.body.smsGateway.inboundUrl, method: 'POST' });
  });
  afterAll(() => stack.stop());

  it('sends nothing to a customer whose STOPP came after dispatch checked the opt-in: it reads it again right before the send', async () => {
    const customer = await createCustomer(api, { mobile: '91231000' });
    afterClaim = async () => {
      afterClaim = undefined;
      expect(await stack.sms.pushInbound('early', 'sveve', { from: '+4791231000', text: 'STOPP' })).toBe(204);
    };
    const sentBefore = stack.sms.sent.length;
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const task = await createTask(api, customer.id, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
    clock.advance(60_000);
    await stack.runDue();
    expect(afterClaim).toBeUndefined();
    expect(stack.sms.sent).toHaveLength(sentBefore);
    expect((await api.get(`/tasks/${task.id}/deliveries`)).body.items[0]).toMatchObject({ state: 'skipped', reason: 'opted-out' });
  });

  it('keeps a receipt that arrives before dispatch has marked the SMS sent', async () => {
    const customer = await createCustomer(api, { mobile: '91231111' });
    afterGatewayAnswer = async () => {
      expect(await stack.sms.sendReceipt(stack.sms.sent.at(-1)!, { delivered: true })).toBe(204);
    };
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const task = await createTask(api, customer.id, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
    clock.advance(60_000);
    await stack.runDue();
    afterGatewayAnswer = undefined;
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ state: 'sent', documentId: delivery.id, receipt: { status: 'delivered' } });
  });

  it('finds an SMS sent with the older reference (the delivery id cut to 36 characters) by Sveve’s message id', async () => {
    const customer = await createCustomer(api, { mobile: '91232222' });
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const task = await createTask(api, customer.id, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
    clock.advance(60_000);
    await stack.runDue();
    const sms = stack.sms.sent.at(-1)!;
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    // As a Sveve receipt of an SMS sent before the short reference: its ref is the cut-off id.
    expect(await stack.sms.sendReceipt({ ...sms, reference: delivery.id.slice(0, 36) }, { delivered: false, errorText: 'Absent subscriber' })).toBe(204);
    expect((await api.get(`/tasks/${task.id}/deliveries`)).body.items[0].receipt).toMatchObject({ status: 'undelivered', reason: 'Absent subscriber' });
  });

  it('ends every SMS with the firm’s opt-out line, counted in the preview’s segments and in the filed record', async () => {
    const settings = (await api.get('/settings')).body;
    await api.patch('/settings', { smsOptOutLine: 'Svar STOPP for å avslutte', version: settings.version });
    const preview = await api.post('/notices/preview', { channel: 'sms', message: 'x'.repeat(150) });
    expect(preview.body.text).toBe(`${'x'.repeat(150)}\nSvar STOPP for å avslutte`);
    expect(preview.body.sms.segments).toBe(2);

    const customer = await createCustomer(api, { mobile: '91233333' });
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const task = await createTask(api, customer.id, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'], message: 'Hei' })] });
    clock.advance(61_000);
    await stack.runDue();
    expect(stack.sms.sent.at(-1)!.text).toBe('Hei\nSvar STOPP for å avslutte');
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    const record = (await api.get(`/documents/${delivery.documentId}`)).body;
    expect(record).toMatchObject({ text: 'Hei\nSvar STOPP for å avslutte', segments: 1 });
  });

  it('refuses an opt-out line over 60 characters, naming the field', async () => {
    const settings = (await api.get('/settings')).body;
    const res = await api.patch('/settings', { smsOptOutLine: 'x'.repeat(40_000), version: settings.version });
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'smsOptOutLine', rule: 'max-length' }));
  });
});

describe('an SMS whose gateway answer was lost, retried in a later hour, and its receipt', () => {
  const TENANT = 'firm-lost-answer';
  const MOBILE = '+4791236001';
  const clock = new TestClock(new Date('2027-09-01T10:55:00Z'));
  let stack: TestStack;
  let api: ApiClient;
  let customerId: string;

  /** A task whose one SMS notice is due at `at` (daytime in Oslo). */
  const smsTask = (at: string) => createTask(api, customerId, { deadline: at, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
  const smsDelivery = async (taskId: string) => (await api.get(`/tasks/${taskId}/deliveries`)).body.items[0] as Record<string, any>;

  beforeAll(async () => {
    // The gateway's late answer stands for a lost one: it took the SMS, Frist never heard so.
    stack = await startTestStack({ clock, env: { SMS_PROVIDER: 'sveve', SMS_TIMEOUT_MS: '300' } });
    api = await stack.as(TENANT);
    const saved = await api.put('/settings', { smsAccount: { username: 'lost', password: 'secret' }, smsLimits: { perNumberPerHour: 1 }, version: 0 });
    stack.sms.configureCallbacks('lost', { receiptUrl: saved.body.smsGateway.receiptUrl });
    customerId = (await createCustomer(api, { mobile: MOBILE })).id;
  });
  afterAll(() => stack.stop());

  /** The first attempt of a task's SMS reaches the gateway, whose answer never comes back: pending, possibly on the phone. */
  async function lostAnswer(at: string): Promise<string> {
    const task = await smsTask(at);
    clock.set(at);
    stack.sms.answerAfter(1_000);
    await stack.runDue();
    expect(await smsDelivery(task.id)).toMatchObject({ state: 'pending', possibleDuplicate: true, attempts: 1 });
    return task.id;
  }

  it('is sent again by its retry, although the next hour’s cap went to another SMS: counted once, on its first attempt; the receipt marks it delivered', async () => {
    const first = await lostAnswer('2027-09-01T10:59:00Z');
    const sentBefore = stack.sms.sent.length;
    // The next hour's one SMS to the number goes to another task, before the retry comes.
    const other = await smsTask('2027-09-01T11:00:00Z');
    clock.set('2027-09-01T11:00:00Z');
    await stack.runDue();
    expect(await smsDelivery(other.id)).toMatchObject({ state: 'sent' });
    clock.set('2027-09-01T11:02:30Z');
    await stack.runDue();

    const retried = await smsDelivery(first);
    expect(retried).toMatchObject({ state: 'sent', possibleDuplicate: true, attempts: 2 });
    expect(stack.sms.sent.slice(sentBefore).map((s) => s.to)).toEqual([MOBILE, MOBILE]);
    const copy = stack.sms.sent.at(-1)!;
    expect(copy.reference).toBe(smsReference(retried.id));
    expect(await stack.sms.sendReceipt(copy, { delivered: true })).toBe(204);
    expect((await smsDelivery(first)).receipt).toMatchObject({ status: 'delivered' });
  });

  it('gets no receipt once it ended unsent (the task was completed before its retry): skipped stays skipped', async () => {
    const taskId = await lostAnswer('2027-09-01T12:30:00Z');
    const lost = stack.sms.sent.at(-1)!;
    expect((await api.post(`/tasks/${taskId}/complete`)).status).toBe(200);
    expect(await smsDelivery(taskId)).toMatchObject({ state: 'skipped', reason: 'task-completed', possibleDuplicate: true });
    expect(await stack.sms.sendReceipt(lost, { delivered: true })).toBe(204);
    const after = await smsDelivery(taskId);
    expect(after.state).toBe('skipped');
    expect(after.receipt).toBeUndefined();
  });
});

describe('a hostile gateway call', () => {
  const TENANT = 'firm-callbacks-hostile';
  const clock = new TestClock(new Date('2027-09-01T08:00:00Z'));
  let stack: TestStack;
  let api: ApiClient;
  let inboundPath: string;

  beforeAll(async () => {
    stack = await startTestStack({ clock, env: { SMS_PROVIDER: 'sveve' }, injectFaults: true });
    api = await stack.as(TENANT);
    const saved = await api.put('/settings', { smsAccount: { username: 'hostile', password: 'secret' }, version: 0 });
    inboundPath = (saved.body.smsGateway.inboundUrl as string).replace(stack.apiUrl, '');
  });
  afterAll(() => stack.stop());

  it('refuses a 40,000-character message with 422 naming the field, and a body over the limit with 413; nothing changes', async () => {
    const customer = await createCustomer(api, { mobile: '91231212' });
    const long = await stack.anonymous.post(inboundPath, { number: '4791231212', msg: `STOPP ${'x'.repeat(40_000)}` });
    expect(long.status).toBe(422);
    expect(long.body.errors).toContainEqual(expect.objectContaining({ field: 'msg', rule: 'max-length' }));
    const huge = await stack.anonymous.call('POST', inboundPath, `number=4791231212&msg=${'x'.repeat(70_000)}`, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(huge.status).toBe(413);
    expect((await api.get(`/customers/${customer.id}`)).body.optIn.sms).toBe(true);
  });

  it('takes two STOPPs at once as one: SMS off, one version more', async () => {
    const customer = await createCustomer(api, { mobile: '91231313' });
    const answers = await Promise.all([1, 2, 3].map(() => stack.anonymous.get(`${inboundPath}?number=4791231313&msg=STOPP`)));
    expect(answers.map((a) => a.status)).toEqual([204, 204, 204]);
    const after = (await api.get(`/customers/${customer.id}`)).body;
    expect(after).toMatchObject({ optIn: { sms: false }, version: customer.version + 1 });
  });

  it('makes a firm’s save from before the STOPP a 409, so it cannot turn SMS back on unseen', async () => {
    const customer = await createCustomer(api, { mobile: '91231414' });
    await stack.anonymous.get(`${inboundPath}?number=4791231414&msg=Stop`);
    const stale = await api.put(`/customers/${customer.id}`, { name: 'Gammel lesning AS', mobile: '91231414', version: customer.version });
    expect(stale.status).toBe(409);
    expect((await api.get(`/customers/${customer.id}`)).body.optIn.sms).toBe(false);
  });

  it('refuses a call without a secret (not a gateway route: the authorizer wants a token), and a firm’s token is no secret', async () => {
    const bare = inboundPath.replace(/\/[A-Za-z0-9_-]{32}\/inbound$/, '/inbound');
    expect((await stack.anonymous.get(`${bare}?number=4791231515&msg=STOPP`)).status).toBe(401);
    const other = await stack.as('firm-someone-else');
    expect((await other.get(`${inboundPath.replace(TENANT, 'firm-someone-else')}?number=4791231515&msg=STOPP`)).status).toBe(404);
  });

  it('answers 503, which the gateway retries, when the table is out of reach past the SDK’s own retries: not a bare 500', async () => {
    // Every attempt the SDK makes reaches the table and loses its answer to a reset connection,
    // as on a loaded machine; the read fails with ECONNRESET once the SDK's retries are spent.
    const table = stack.dynamodbFaults!;
    table.clear();
    table.loseResponseNext(10);
    const answer = await stack.anonymous.get(`${inboundPath}?number=4791231616&msg=STOPP`);
    expect(table.requests).toBeGreaterThan(1);
    expect({ status: answer.status, type: answer.headers.get('content-type'), retryAfter: answer.headers.get('retry-after') }).toEqual({
      status: 503,
      type: 'application/problem+json',
      retryAfter: '2',
    });
    table.clear();
    expect((await stack.anonymous.get(`${inboundPath}?number=4791231616&msg=STOPP`)).status).toBe(204);
  });
});
