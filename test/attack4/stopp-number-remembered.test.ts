import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * A phone that answered STOPP has asked the firm for no more SMS, whatever customer card its
 * number is on. STOPP turned off only the customers that had the number at that moment: the
 * same number registered again (a new card, an import, a changed number) got SMS again.
 */
const clock = new TestClock(new Date('2027-09-06T08:00:00Z'));
const NUMBER = '+4791247000';
let stack: TestStack;

async function firm(tenant: string): Promise<ApiClient> {
  const api = await stack.as(tenant);
  const saved = await api.put('/settings', { smsAccount: { username: tenant, password: 'hemmelig' }, version: 0 });
  expect(saved.status).toBe(200);
  stack.sms.configureCallbacks(tenant, saved.body.smsGateway);
  return api;
}

/** A task whose SMS is due a minute from now, sent (or not); its SMS delivery. */
async function nextSms(api: ApiClient, customerId: string) {
  const deadline = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const task = await createTask(api, customerId, { deadline, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
  clock.advance(60_000);
  await stack.runDue();
  return ((await api.get(`/tasks/${task.id}/deliveries`)).body.items as Record<string, unknown>[]).find((d) => d.channel === 'sms');
}

const smsTo = (number: string) => stack.sms.sent.filter((s) => s.to === number).length;

beforeAll(async () => {
  stack = await startTestStack({ clock, env: { SMS_PROVIDER: 'sveve' } });
});
afterAll(() => stack.stop());

describe('a number that answered STOPP', () => {
  let api: ApiClient;
  let other: ApiClient;
  let stoppedAt: string;

  beforeAll(async () => {
    api = await firm('firm-stopp-a');
    other = await firm('firm-stopp-b');
    const first = await createCustomer(api, { name: 'Første AS', mobile: NUMBER });
    expect(await stack.sms.pushInbound('firm-stopp-a', 'sveve', { from: NUMBER, text: 'STOPP' })).toBe(204);
    stoppedAt = clock.now().toISOString();
    expect((await api.get(`/customers/${first.id}`)).body.optIn.sms).toBe(false);
    clock.advance(3_600_000);
  });

  it('keeps SMS off for a customer registered with it later, however the number is written', async () => {
    for (const mobile of ['912 47 000', '0047 91247000', '+47 912 47 000']) {
      const later = await createCustomer(api, { name: `Ny ${mobile}`, mobile });
      expect(later).toMatchObject({ optIn: { email: true, sms: false }, optOut: { at: stoppedAt, via: 'sms-stopp' } });
    }
    const later = await createCustomer(api, { name: 'Enda en AS', mobile: NUMBER });
    const sent = smsTo(NUMBER);
    expect(await nextSms(api, later.id)).toMatchObject({ state: 'skipped', reason: 'opted-out' });
    expect(smsTo(NUMBER)).toBe(sent);
  });

  it('keeps SMS off for a customer whose mobile is changed to it', async () => {
    const customer = await createCustomer(api, { name: 'Bytter nummer AS', mobile: '+4791247001' });
    const changed = await api.patch(`/customers/${customer.id}`, { mobile: NUMBER, version: customer.version });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ optIn: { sms: false }, optOut: { at: stoppedAt, via: 'sms-stopp' } });
  });

  it("leaves another firm's customers with the same number as they are", async () => {
    const theirs = await createCustomer(other, { name: 'Annet byrå sin kunde', mobile: NUMBER });
    expect(theirs.optIn).toEqual({ email: true, sms: true });
    expect(theirs).not.toHaveProperty('optOut');
    const sent = smsTo(NUMBER);
    expect(await nextSms(other, theirs.id)).toMatchObject({ state: 'sent' });
    expect(smsTo(NUMBER)).toBe(sent + 1);
  });

  it('is lifted when the firm turns SMS on again where the STOPP shows, and only then', async () => {
    const customer = await createCustomer(api, { name: 'Vil ha SMS igjen AS', mobile: NUMBER });
    // A save of something else keeps it.
    const renamed = await api.patch(`/customers/${customer.id}`, { name: 'Nytt navn AS', version: customer.version });
    expect(renamed.body).toMatchObject({ optIn: { sms: false }, optOut: { via: 'sms-stopp' } });
    const on = await api.patch(`/customers/${customer.id}`, { optIn: { sms: true }, version: renamed.body.version });
    expect(on.body.optIn.sms).toBe(true);
    expect(on.body).not.toHaveProperty('optOut');
    const afterwards = await createCustomer(api, { name: 'Etterpå AS', mobile: NUMBER });
    expect(afterwards).toMatchObject({ optIn: { sms: true } });
    expect(await nextSms(api, customer.id)).toMatchObject({ state: 'sent' });
  });

  it('is remembered for a number no customer had yet, and answered the same', async () => {
    expect(await stack.sms.pushInbound('firm-stopp-a', 'sveve', { from: '+4791247999', text: 'Stopp takk' })).toBe(204);
    const first = await createCustomer(api, { name: 'Kom etter STOPP AS', mobile: '91247999' });
    expect(first).toMatchObject({ optIn: { sms: false }, optOut: { via: 'sms-stopp' } });
  });
});
