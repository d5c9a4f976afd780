import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { deliveryId, type Delivery } from '../../shared/domain/delivery.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const clock = new TestClock(new Date('2027-03-01T10:00:00Z'));

let stack: TestStack;
let api: ApiClient;

async function at(iso: string) {
  clock.set(iso);
  await stack.runDue();
}

const smsNotice = (overrides: Record<string, unknown> = {}) => ({ when: 'before', offset: 'P1D', channels: ['sms'], message: 'Frist i morgen', ...overrides });

async function rowOf(taskId: string) {
  const res = await api.get('/tasks?limit=100');
  expect(res.status).toBe(200);
  return res.body.items.find((t: { id: string }) => t.id === taskId);
}

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as('firm-attention');
  await api.put('/settings', { firm: { name: 'Tall & Tid AS' }, emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
});
afterAll(() => stack.stop());

describe('the warning mark of the task register', () => {
  it('is absent while nothing has gone out, and after a notice was sent', async () => {
    const customer = await createCustomer(api, { name: 'Sendes AS', email: 'post@sendes.example' });
    const task = await createTask(api, customer.id, { deadline: '2027-03-05', notices: [emailNotice({ offset: 'P1D' })] });
    expect((await rowOf(task.id)).attention).toBeUndefined();
    await at('2027-03-04T08:00:30Z');
    expect((await rowOf(task.id)).attention).toBeUndefined();
    expect((await api.get(`/tasks/${task.id}/deliveries`)).body.items[0].state).toBe('sent');
  });

  it('shows a skip the firm can act on (the address was removed after the save), on the list and on the task', async () => {
    clock.set('2027-03-01T10:00:00Z');
    const customer = await createCustomer(api, { name: 'Uten Epost AS', email: 'post@uten.example' });
    const task = await createTask(api, customer.id, { deadline: '2027-03-06', notices: [emailNotice({ offset: 'P1D' })] });
    expect((await api.patch(`/customers/${customer.id}`, { email: null, version: customer.version })).status).toBe(200);
    await at('2027-03-05T08:00:30Z');
    const expected = { channel: 'email', state: 'skipped', code: 'no-address', occurrenceAt: '2027-03-05T08:00:00Z' };
    expect((await rowOf(task.id)).attention).toMatchObject(expected);
    expect((await api.get(`/tasks/${task.id}`)).body.attention).toMatchObject(expected);
  });

  it('shows a failed SMS (the firm has no SMS account) and clears once a later one is sent', async () => {
    clock.set('2027-03-01T10:00:00Z');
    const customer = await createCustomer(api, { name: 'Mobil AS', email: undefined, mobile: '91234567' });
    const task = await createTask(api, customer.id, {
      deadline: '2027-03-10',
      notices: [smsNotice({ offset: 'P5D' }), smsNotice({ offset: 'P1D' })],
    });
    await at('2027-03-05T08:00:30Z');
    expect((await rowOf(task.id)).attention).toMatchObject({ channel: 'sms', state: 'failed', code: 'no-sms-account' });

    const settings = (await api.get('/settings')).body;
    await api.patch('/settings', { smsAccount: { username: 'tallogtid', password: 'hemmelig' }, version: settings.version });
    await at('2027-03-09T08:00:30Z');
    expect((await rowOf(task.id)).attention).toBeUndefined();
  });

  it('is not raised by a skip the firm cannot act on (the task was completed while its notice was due)', async () => {
    clock.set('2027-03-01T10:00:00Z');
    const customer = await createCustomer(api, { name: 'Ferdig AS', email: 'post@ferdig.example' });
    const task = await createTask(api, customer.id, { deadline: '2027-03-20', notices: [emailNotice({ offset: 'P1D' })] });
    await api.post(`/tasks/${task.id}/complete`);
    await at('2027-03-19T08:00:30Z');
    expect((await rowOf(task.id)).attention).toBeUndefined();
  });
});

describe("a sent record's mark, noted side by side with the record (DeliveryUpdate.noteAlongside)", () => {
  const TENANT = 'firm-attention';
  it('says sent even when the record lost its claim, and a skip whose write lost its claim is not noted', async () => {
    const customer = await createCustomer(api, { name: 'Side om side AS', email: 'post@side.example' });
    const task = await createTask(api, customer.id, { deadline: '2027-04-05', notices: [emailNotice({ offset: 'P1D' })] });
    const noticeId = (task.notices as { id: string }[])[0]!.id;
    const occurrenceAt = '2027-04-04T07:00:00Z';
    const now = clock.now().toISOString();
    const delivery: Delivery = {
      id: deliveryId(task.id, noticeId, occurrenceAt, 'email'),
      taskId: task.id,
      noticeId,
      customerId: customer.id,
      occurrenceAt,
      channel: 'email',
      state: 'claimed',
      attempts: 0,
      updatedAt: now,
      claimToken: 'this-attempt',
      claimedUntil: new Date(clock.now().getTime() + 90_000).toISOString(),
    };
    const store = stack.ports.store;
    expect(await store.claimDelivery(TENANT, delivery, now)).toBeDefined();
    const markOf = async () => (await store.registerDetails(TENANT, [], [task.id])).marks.get(task.id);

    // Another attempt's token: neither write lands.
    const skipped: Delivery = { ...delivery, state: 'skipped', reason: 'no-address', claimToken: undefined, claimedUntil: undefined };
    expect(await store.updateDelivery(TENANT, skipped, 'another-attempt')).toBe(false);
    expect(await markOf()).toEqual([]);
    const sent: Delivery = { ...delivery, state: 'sent', sentAt: now, claimedUntil: undefined };
    expect(await store.updateDelivery(TENANT, sent, 'another-attempt', { noteAlongside: true })).toBe(false);
    expect({ mark: await markOf(), record: (await store.getDelivery(TENANT, delivery.id))?.state }).toEqual({
      mark: [expect.objectContaining({ channel: 'email', state: 'sent' })],
      record: 'claimed',
    });
  });
});
