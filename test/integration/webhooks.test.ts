import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebhookReply } from '../../local/webhook-receiver.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice, fieldRules } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-webhooks';
const clock = new TestClock(new Date('2027-10-04T08:00:00Z'));
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as(TENANT);
});
afterAll(() => stack.stop());
/** The stack's time when the receiver got each request: what its clock would read. */
const receivedAt: number[] = [];

/** Answers as `reply` says, noting when each request came. */
function answer(reply: WebhookReply) {
  stack.webhookReceiver.answer((request, index) => {
    receivedAt[index] = clock.now().getTime();
    return reply(request, index);
  });
}

beforeEach(() => {
  stack.webhookReceiver.clear();
  receivedAt.length = 0;
  answer(() => ({ status: 204 }));
});

async function createWebhook(body: Record<string, unknown> = {}) {
  const response = await api.post('/webhooks', { url: `${stack.webhookReceiverUrl}/frist`, eventTypes: ['notice.sent'], ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; secret: string; version: number };
}

/** Moves the clock in steps, letting the functions run after each (the queue's delays pass by the clock). */
async function runFor(ms: number, step = 60_000) {
  for (let passed = 0; passed < ms; passed += step) {
    clock.advance(step);
    await stack.runDue();
  }
}

/** Verifies the request received `index`th as a firm's system would, with the Standard Webhooks library, at the time it came. */
function verify(secret: string, index: number): unknown {
  const request = stack.webhookReceiver.received[index]!;
  const now = vi.spyOn(Date, 'now').mockReturnValue(receivedAt[index]!);
  try {
    return new StandardWebhook(secret).verify(request.body, request.headers as Record<string, string>);
  } finally {
    now.mockRestore();
  }
}

/** A task with one e-mail notice due in a minute, sent by the time this returns. */
async function sendOneNotice() {
  const customer = await createCustomer(api);
  const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const task = await createTask(api, customer.id, { deadline, notices: [emailNotice({ offset: 'PT0S' })] });
  clock.advance(60_000);
  await stack.runDue();
  return task;
}

describe('webhook deliveries', () => {
  it('delivers notice.sent signed, retries a failing receiver with back-off, and records it delivered once', async () => {
    const webhook = await createWebhook();
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    answer((_request, index) => ({ status: index < 3 ? 503 : 200 }));

    const task = await sendOneNotice();
    await runFor(15 * 60_000);

    const received = stack.webhookReceiver.received;
    expect(received.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    // One event, four tries: the same webhook-id each time, each signed, at later and later times.
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const timestamps = received.map((r) => Number(r.headers['webhook-timestamp']));
    expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);
    expect(timestamps[1]! - timestamps[0]!).toBeGreaterThanOrEqual(30);
    const payloads = received.map((_, i) => verify(webhook.secret, i));
    expect(payloads[3]).toEqual({
      type: 'notice.sent',
      timestamp: expect.any(String),
      data: expect.objectContaining({ taskId: task.id, noticeId: task.notices[0]!.id, channel: 'email', deliveryId: expect.stringContaining(task.id) }),
    });
    // Ids only: no address, name or text of the notice.
    expect(received[3]!.body).not.toMatch(/fjordbakeri|Fjord Bakeri|MVA-melding|Hei /);

    const deliveries = (await api.get(`/webhooks/${webhook.id}/deliveries`)).body.items;
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ eventId: received[0]!.headers['webhook-id'], type: 'notice.sent', state: 'delivered' });
    expect(deliveries[0].attempts.map((a: { attempt: number; outcome: string; status: number }) => `${a.attempt} ${a.outcome} ${a.status}`)).toEqual([
      '1 failed 503',
      '2 failed 503',
      '3 failed 503',
      '4 delivered 200',
    ]);

    // Nothing more comes: delivered is final.
    await runFor(60 * 60_000, 15 * 60_000);
    expect(stack.webhookReceiver.received).toHaveLength(4);
    expect((await api.get(`/webhooks/${webhook.id}`)).body).not.toHaveProperty('failingSince');
    await api.delete(`/webhooks/${webhook.id}`);
  });

  it('shows the secret once: not in a read or the list, but again to a retry with the same Idempotency-Key', async () => {
    const body = { url: `${stack.webhookReceiverUrl}/once`, eventTypes: ['notice.failed', 'customer.opted_out'] };
    const first = await api.call('POST', '/webhooks', body, { 'idempotency-key': 'hook-1' });
    const retry = await api.call('POST', '/webhooks', body, { 'idempotency-key': 'hook-1' });
    expect(first.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect((await api.get(`/webhooks/${first.body.id}`)).body).not.toHaveProperty('secret');
    expect(JSON.stringify((await api.get('/webhooks')).body)).not.toContain(first.body.secret);
    await api.delete(`/webhooks/${first.body.id}`);
  });

  it('sends a ping to one endpoint, and a redirect is a failed attempt that is never followed', async () => {
    const webhook = await createWebhook({ eventTypes: ['job.finished'] });
    answer(() => ({ status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }));

    const ping = await api.post(`/webhooks/${webhook.id}/test`);
    expect(ping.status).toBe(200);
    await stack.runDue();

    expect(stack.webhookReceiver.received).toHaveLength(1);
    expect(verify(webhook.secret, 0)).toMatchObject({ type: 'webhook.ping', data: {} });
    const [delivery] = (await api.get(`/webhooks/${webhook.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ eventId: ping.body.eventId, state: 'pending', attempts: [{ outcome: 'failed', status: 302, error: 'redirect' }] });
    await api.delete(`/webhooks/${webhook.id}`);
  });

  it('stops the retries of an endpoint the firm turns off, and sends nothing to a deleted one', async () => {
    const webhook = await createWebhook();
    answer(() => ({ status: 500 }));
    await api.post(`/webhooks/${webhook.id}/test`);
    await stack.runDue();
    await api.patch(`/webhooks/${webhook.id}`, { enabled: false, version: webhook.version });
    await runFor(3600_000, 5 * 60_000);

    expect(stack.webhookReceiver.received).toHaveLength(1);
    const [delivery] = (await api.get(`/webhooks/${webhook.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ state: 'failed', reason: 'endpoint-disabled' });

    const other = await createWebhook();
    await api.post(`/webhooks/${other.id}/test`);
    await stack.runDue();
    await api.delete(`/webhooks/${other.id}`);
    await runFor(3600_000, 5 * 60_000);
    expect(stack.webhookReceiver.received).toHaveLength(2);
    expect((await api.get(`/webhooks/${other.id}/deliveries`)).status).toBe(404);
    await api.delete(`/webhooks/${webhook.id}`);
  });

  it('loses no attempt to a crash between its record and the next message: the message comes back and tries again', async () => {
    const webhook = await createWebhook();
    answer((_request, index) => ({ status: index === 0 ? 500 : 204 }));
    let crashes = 1;
    const send = stack.webhookPorts.webhooks.queue.send.bind(stack.webhookPorts.webhooks.queue);
    stack.webhookPorts.webhooks.queue.send = async (message, delay) => {
      if (message.kind === 'attempt' && message.attempt === 2 && crashes-- > 0) throw new Error('the function died here');
      return send(message, delay);
    };
    try {
      await api.post(`/webhooks/${webhook.id}/test`);
      await stack.runDue();
      // The failed message comes back after the visibility timeout (180 s) and makes attempt 1 again.
      await runFor(15 * 60_000);
    } finally {
      stack.webhookPorts.webhooks.queue.send = send;
    }
    const [delivery] = (await api.get(`/webhooks/${webhook.id}/deliveries`)).body.items;
    expect(delivery.state).toBe('delivered');
    expect(delivery.attempts.map((a: { attempt: number; outcome: string }) => `${a.attempt} ${a.outcome}`)).toEqual(['1 failed', '1 delivered']);
    await api.delete(`/webhooks/${webhook.id}`);
  });

  it('turns an endpoint that fails for 24 hours off, with the reason, and gives its events up', async () => {
    const webhook = await createWebhook();
    answer(() => ({ status: 500 }));
    await api.post(`/webhooks/${webhook.id}/test`);

    await runFor(25 * 3600_000, 15 * 60_000);

    const endpoint = (await api.get(`/webhooks/${webhook.id}`)).body;
    expect(endpoint).toMatchObject({ enabled: false, disabled: { reason: 'failing' } });
    const [delivery] = (await api.get(`/webhooks/${webhook.id}/deliveries`)).body.items;
    expect(delivery.state).toBe('failed');
    const times = delivery.attempts.map((a: { at: string }) => Date.parse(a.at));
    expect(times.at(-1) - times[0]).toBe(24 * 3600_000);
    expect(delivery.attempts.length).toBeLessThan(12);

    // Turned on again, it starts clean; an event for it is sent again.
    const patched = await api.patch(`/webhooks/${webhook.id}`, { enabled: true, version: endpoint.version });
    expect(patched.body).toMatchObject({ enabled: true });
    expect(patched.body).not.toHaveProperty('disabled');
    expect(patched.body).not.toHaveProperty('failingSince');
    await api.delete(`/webhooks/${webhook.id}`);
  });
});

describe('events from SMS receipts and STOPP', () => {
  it('publishes notice.delivered for a receipt that marks an SMS delivered, once, and customer.opted_out for a STOPP', async () => {
    const saved = await api.put('/settings', { smsAccount: { username: 'acct-hooks', password: 'secret' }, version: 0 });
    stack.sms.configureCallbacks('acct-hooks', { receiptUrl: saved.body.smsGateway.receiptUrl, inboundUrl: saved.body.smsGateway.inboundUrl });
    const webhook = await createWebhook({ eventTypes: ['notice.delivered', 'customer.opted_out'] });
    const customer = await createCustomer(api, { mobile: '91239999' });
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    await createTask(api, customer.id, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
    clock.advance(60_000);
    await stack.runDue();
    const sms = stack.sms.sent.at(-1)!;

    expect(await stack.sms.sendReceipt(sms, { delivered: true })).toBe(204);
    expect(await stack.sms.sendReceipt(sms, { delivered: true })).toBe(204);
    expect(await stack.sms.pushInbound('acct-hooks', 'generic', { from: '4791239999', text: 'STOPP' })).toBe(204);
    await stack.runDue();

    const events = stack.webhookReceiver.received.map((_, i) => verify(webhook.secret, i) as { type: string; data: Record<string, unknown> });
    expect(events.map((e) => e.type)).toEqual(['notice.delivered', 'customer.opted_out']);
    expect(events[0]!.data).toEqual({ deliveryId: expect.stringMatching(/-sms$/), channel: 'sms' });
    expect(events[1]!.data).toEqual({ customerId: customer.id, channel: 'sms', via: 'sms-stopp' });
    expect(stack.webhookReceiver.received.map((r) => r.body).join()).not.toContain('91239999');
    await api.delete(`/webhooks/${webhook.id}`);
  });
});

describe('events from background jobs', () => {
  it('publishes job.finished once a template applied to tasks is done, with its counts', async () => {
    const webhook = await createWebhook({ eventTypes: ['job.finished'] });
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, { deadline: '2027-12-10' });
    const template = (await api.post('/templates', { name: 'Hooked', notices: [emailNotice()] })).body as { id: string };
    const job = (await api.post(`/templates/${template.id}/apply`, { taskIds: [task.id, 'nosuchtask000000'] })).body as { id: string };
    await stack.runDue();

    const events = stack.webhookReceiver.received.map((_, i) => verify(webhook.secret, i) as { type: string; data: Record<string, unknown> });
    expect(events).toEqual([
      expect.objectContaining({ type: 'job.finished', data: { jobId: job.id, kind: 'apply-template', state: 'done', done: 1, skipped: 1, failed: 0 } }),
    ]);
    await api.delete(`/webhooks/${webhook.id}`);
  });
});

describe('what a webhook may call (SSRF)', () => {
  it.each([
    ['loopback', 'https://127.0.0.1/hook', 'webhook-address'],
    ['a private network', 'https://10.0.0.7/hook', 'webhook-address'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/', 'webhook-address'],
    ['a host name that resolves to loopback', 'https://localhost/hook', 'webhook-address'],
    ['an IPv4-mapped IPv6 address', 'https://[::ffff:7f00:1]/hook', 'webhook-address'],
    ['unique-local IPv6', 'https://[fd00:ec2::254]/hook', 'webhook-address'],
    ['plain HTTP', 'http://93.184.216.34/hook', 'webhook-https'],
    ['loopback HTTP on another port than the local receiver', 'http://127.0.0.1:1/hook', 'webhook-https'],
  ])('refuses %s', async (_what, url, rule) => {
    const response = await api.post('/webhooks', { url, eventTypes: ['notice.sent'] });
    expect(response.status).toBe(422);
    expect(fieldRules(response.body)).toEqual([`url ${rule}`]);
  });

  it('refuses a URL of 40,000 characters and an unknown event type, naming the fields', async () => {
    const response = await api.post('/webhooks', { url: `https://93.184.216.34/${'x'.repeat(40_000)}`, eventTypes: ['notice.sent', 'task.created'] });
    expect(response.status).toBe(422);
    expect(fieldRules(response.body)).toEqual(['url max-length', 'eventTypes.1 one-of']);
  });

  it("keeps one firm's webhooks from another", async () => {
    const webhook = await createWebhook();
    const other = await stack.as('firm-webhooks-other');
    for (const [method, path] of [
      ['GET', `/webhooks/${webhook.id}`],
      ['DELETE', `/webhooks/${webhook.id}`],
      ['POST', `/webhooks/${webhook.id}/test`],
      ['GET', `/webhooks/${webhook.id}/deliveries`],
    ] as const) {
      expect((await other.call(method, path)).status, `${method} ${path}`).toBe(404);
    }
    expect((await other.get('/webhooks')).body.items).toEqual([]);
    await api.delete(`/webhooks/${webhook.id}`);
  });

  it('refuses a change of URL to a forbidden address, and keeps the endpoint as it was', async () => {
    const webhook = await createWebhook();
    const response = await api.patch(`/webhooks/${webhook.id}`, { url: 'https://192.168.1.1/', version: webhook.version });
    expect(fieldRules(response.body)).toEqual(['url webhook-address']);
    expect((await api.get(`/webhooks/${webhook.id}`)).body.url).toBe(`${stack.webhookReceiverUrl}/frist`);
    await api.delete(`/webhooks/${webhook.id}`);
  });
});
