import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesEventsHandler } from '../../functions/ses-events/app.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-bounces';
const clock = new TestClock(new Date('2027-09-01T08:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let handle: (event: unknown) => Promise<unknown>;
const sentTags: Record<string, string>[] = [];

/** An SNS delivery of one SES configuration-set event, as AWS sends it. */
function snsEvent(message: Record<string, unknown>) {
  return { Records: [{ EventSource: 'aws:sns', Sns: { Type: 'Notification', Message: JSON.stringify(message) } }] };
}

function bounce(tenantId: string, customerId: string, address: string, bounceType = 'Permanent') {
  return snsEvent({
    eventType: 'Bounce',
    bounce: { bounceType, bounceSubType: 'General', bouncedRecipients: [{ emailAddress: address }] },
    mail: { messageId: 'x', tags: { tenantId: [tenantId], customerId: [customerId] } },
  });
}

async function dueNotice(customerId: string) {
  const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const task = await createTask(api, customerId, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['email', 'sms'] })] });
  clock.advance(60_000);
  await stack.runDue();
  return (await api.get(`/tasks/${task.id}/deliveries`)).body.items as { channel: string; state: string; reason?: string }[];
}

beforeAll(async () => {
  stack = await startTestStack({
    clock,
    // The SES stand-in keeps no message tags: the tags dispatch sends with each e-mail are noted here.
    wrapSendingPorts: (ports) => ({
      ...ports,
      mailer: { sendRaw: (email) => (sentTags.push(email.tags), ports.mailer.sendRaw(email)) },
    }),
  });
  api = await stack.as(TENANT);
  await api.put('/settings', { smsAccount: { username: 'firm', password: 'secret' }, version: 0 });
  const handler = createSesEventsHandler(stack.sesEventsPorts, stack.telemetry['ses-events']);
  handle = (event) => handler(event, {} as never);
});
afterAll(() => stack.stop());

describe('bounces and complaints', () => {
  it('suppresses the address after a permanent bounce, so the next e-mail is skipped and the SMS still goes', async () => {
    const customer = await createCustomer(api, { email: 'gone@example.no' });
    expect((await dueNotice(customer.id)).map((d) => d.state)).toEqual(['sent', 'sent']);

    expect(await handle(bounce(TENANT, customer.id, 'GONE@example.no'))).toEqual({ suppressed: 1, receipts: 0, ignored: 0 });
    expect((await api.get(`/customers/${customer.id}`)).body.suppressed.email).toMatchObject({ address: 'gone@example.no', reason: 'bounce' });

    const next = await dueNotice(customer.id);
    expect(next.map((d) => `${d.channel} ${d.state} ${d.reason ?? ''}`.trim())).toEqual(['email skipped suppressed', 'sms sent']);
  });

  it('suppresses on a complaint too', async () => {
    const customer = await createCustomer(api, { email: 'angry@example.no' });
    const complaint = snsEvent({
      eventType: 'Complaint',
      complaint: { complainedRecipients: [{ emailAddress: 'angry@example.no' }] },
      mail: { tags: { tenantId: [TENANT], customerId: [customer.id] } },
    });
    expect(await handle(complaint)).toEqual({ suppressed: 1, receipts: 0, ignored: 0 });
  });

  it('ignores transient bounces, untagged mail and addresses the customer no longer has', async () => {
    const customer = await createCustomer(api, { email: 'busy@example.no' });
    expect(await handle(bounce(TENANT, customer.id, 'busy@example.no', 'Transient'))).toEqual({ suppressed: 0, receipts: 0, ignored: 1 });
    expect(
      await handle(snsEvent({ eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'busy@example.no' }] }, mail: {} })),
    ).toEqual({ suppressed: 0, receipts: 0, ignored: 1 });
    expect(await handle(bounce(TENANT, customer.id, 'old@example.no'))).toEqual({ suppressed: 0, receipts: 0, ignored: 1 });
    expect(await handle(bounce('firm-other', customer.id, 'busy@example.no'))).toEqual({ suppressed: 0, receipts: 0, ignored: 1 });
    expect((await api.get(`/customers/${customer.id}`)).body.suppressed).toBeUndefined();
  });

  it('starts a new address clean', async () => {
    const customer = await createCustomer(api, { email: 'first@example.no' });
    await handle(bounce(TENANT, customer.id, 'first@example.no'));
    const current = (await api.get(`/customers/${customer.id}`)).body;
    const same = await api.put(`/customers/${customer.id}`, { name: current.name, email: 'first@example.no', version: current.version });
    expect(same.body.suppressed.email.address).toBe('first@example.no');
    const changed = await api.put(`/customers/${customer.id}`, { name: current.name, email: 'second@example.no', version: same.body.version });
    expect(changed.body.suppressed).toBeUndefined();
  });
});

describe('delivery events', () => {
  /** A customer with `address` and an e-mail notice sent to it. */
  async function sentEmail(address: string) {
    const customer = await createCustomer(api, { email: address });
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const task = await createTask(api, customer.id, { deadline, notices: [emailNotice({ offset: 'PT0S' })] });
    clock.advance(60_000);
    await stack.runDue();
    const [email] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    return { customer, task, email: email as { id: string; state: string } };
  }

  /** An SES event about the e-mail of `delivery`, tagged as dispatch tags it. */
  function about(type: 'Delivery' | 'Bounce', customerId: string, deliveryId: string) {
    return snsEvent({
      eventType: type,
      mail: { messageId: 'x', tags: { tenantId: [TENANT], customerId: [customerId], deliveryId: [deliveryId] } },
      ...(type === 'Delivery' ? { delivery: { timestamp: clock.now().toISOString(), recipients: ['x@example.no'] } } : {}),
      ...(type === 'Bounce' ? { bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'late@example.no' }] } } : {}),
    });
  }

  it('tags each e-mail with its delivery id, and marks it delivered on an SES Delivery event; a later permanent bounce makes it undelivered', async () => {
    const { customer, task, email } = await sentEmail('late@example.no');
    expect(email.state).toBe('sent');
    expect(sentTags.at(-1)).toEqual({ tenantId: TENANT, customerId: customer.id, deliveryId: email.id });

    expect(await handle(about('Delivery', customer.id, email.id))).toEqual({ suppressed: 0, receipts: 1, ignored: 0 });
    const receipt = (await api.get(`/tasks/${task.id}/deliveries`)).body.items[0].receipt;
    expect(receipt).toEqual({ status: 'delivered', at: clock.now().toISOString() });
    expect(await handle(about('Delivery', customer.id, email.id))).toEqual({ suppressed: 0, receipts: 0, ignored: 0 });
    // The receiving server accepted it, then bounced it (AWS: "Amazon SNS notification contents for Amazon SES").
    clock.advance(60_000);
    await handle(about('Bounce', customer.id, email.id));
    const bounced = (await api.get(`/tasks/${task.id}/deliveries`)).body.items[0].receipt;
    expect(bounced).toMatchObject({ status: 'undelivered', at: clock.now().toISOString() });
    // A replayed or late Delivery event (SNS keeps no order) changes nothing.
    expect(await handle(about('Delivery', customer.id, email.id))).toMatchObject({ receipts: 0 });
    expect((await api.get(`/tasks/${task.id}/deliveries`)).body.items[0].receipt).toEqual(bounced);
  });

  it('marks an e-mail undelivered on a permanent bounce', async () => {
    const { customer, task, email } = await sentEmail('nobody@example.no');
    await handle(
      snsEvent({
        eventType: 'Bounce',
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'nobody@example.no' }] },
        mail: { messageId: 'x', tags: { tenantId: [TENANT], customerId: [customer.id], deliveryId: [email.id] } },
      }),
    );
    expect((await api.get(`/tasks/${task.id}/deliveries`)).body.items[0].receipt).toMatchObject({ status: 'undelivered' });
    expect((await api.get(`/customers/${customer.id}`)).body.suppressed.email.reason).toBe('bounce');
  });
});
