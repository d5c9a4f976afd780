import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * One firm's gateway URLs against another firm's data: each URL must act only on the firm
 * whose tenant and secret it carries, both existing firms.
 */
const clock = new TestClock(new Date('2027-09-07T08:00:00Z'));
const NUMBER = '+4791248000';
let stack: TestStack;
let a: ApiClient;
let b: ApiClient;
let urlsA: { receiptUrl: string; inboundUrl: string };
let urlsB: { receiptUrl: string; inboundUrl: string };

async function firm(tenant: string): Promise<[ApiClient, { receiptUrl: string; inboundUrl: string }]> {
  const api = await stack.as(tenant);
  const saved = await api.put('/settings', { smsAccount: { username: tenant, password: 'hemmelig' }, version: 0 });
  expect(saved.status).toBe(200);
  return [api, saved.body.smsGateway];
}

beforeAll(async () => {
  stack = await startTestStack({ clock, env: { SMS_PROVIDER: 'sveve' } });
  [a, urlsA] = await firm('firm-cross-a');
  [b, urlsB] = await firm('firm-cross-b');
});
afterAll(() => stack.stop());

describe('gateway URLs across firms', () => {
  it("refuses firm A's secret on firm B's tenant (both exist) with 404, and changes nothing at either", async () => {
    const customerB = await createCustomer(b, { mobile: NUMBER });
    const secretA = urlsA.inboundUrl.split('/').at(-2)!;
    const mixed = urlsB.inboundUrl.replace(`/${urlsB.inboundUrl.split('/').at(-2)}/`, `/${secretA}/`);
    stack.sms.configureCallbacks('mallory', { inboundUrl: mixed, receiptUrl: mixed.replace(/inbound$/, 'receipt') });
    expect(await stack.sms.pushInbound('mallory', 'sveve', { from: NUMBER, text: 'STOPP' })).toBe(404);
    expect((await b.get(`/customers/${customerB.id}`)).body.optIn.sms).toBe(true);
  });

  it("ignores a receipt for firm A's SMS sent to firm B's URL: A's delivery keeps no receipt", async () => {
    stack.sms.configureCallbacks('firm-cross-a', urlsA);
    const customerA = await createCustomer(a, { mobile: '+4791248001' });
    const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const task = await createTask(a, customerA.id, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
    clock.advance(60_000);
    await stack.runDue();
    const sms = stack.sms.sent.at(-1)!;
    expect(sms.to).toBe('+4791248001');
    // The same SMS's report, as if firm B's account had sent it.
    stack.sms.configureCallbacks('firm-cross-a', urlsB);
    expect(await stack.sms.sendReceipt(sms, { delivered: false, errorCode: '1', errorText: 'unknown subscriber' })).toBe(204);
    expect((await a.get(`/tasks/${task.id}/deliveries`)).body.items[0]).not.toHaveProperty('receipt');
    // Through A's own URL it counts.
    stack.sms.configureCallbacks('firm-cross-a', urlsA);
    expect(await stack.sms.sendReceipt(sms, { delivered: true })).toBe(204);
    expect((await a.get(`/tasks/${task.id}/deliveries`)).body.items[0].receipt).toMatchObject({ status: 'delivered' });
  });
});
