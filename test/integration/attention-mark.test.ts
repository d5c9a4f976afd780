import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
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
