import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * The per-number cap against one phone registered on many customer cards, its number written
 * each way a person or an import writes it, with the SMS of all of them due in the same
 * minute and dispatched side by side.
 */
const clock = new TestClock(new Date('2027-09-08T06:00:00Z'));
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack({ clock, schedulerConcurrency: 10 });
  api = await stack.as('firm-guard-spellings');
  const saved = await api.put('/settings', { smsAccount: { username: 'spellings', password: 'hemmelig' }, smsLimits: { perNumberPerHour: 3 }, version: 0 });
  expect(saved.status).toBe(200);
});
afterAll(() => stack.stop());

describe('one phone on many customer cards', () => {
  it('gets no more than the per-number cap in an hour, however its number is written', async () => {
    const spellings = ['+4791249000', '+47 912 49 000', '0047 912 49 000', '912 49 000', '91249000', '(+47) 91 24 90 00'];
    const taskIds: string[] = [];
    for (const [i, mobile] of spellings.entries()) {
      const customer = await createCustomer(api, { name: `Kort ${i}`, email: undefined, mobile });
      const notices = [1, 2].map((m) => ({ when: 'after', offset: `PT${m}M`, channels: ['sms'], message: 'Husk {{task.title}}.' }));
      taskIds.push((await createTask(api, customer.id, { deadline: '2027-09-08T10:00:00+02:00', notices })).id);
    }
    clock.set('2027-09-08T08:05:00Z');
    await stack.runDue();
    expect(stack.sms.sent.filter((s) => s.to === '+4791249000')).toHaveLength(3);
    expect(stack.sms.sent).toHaveLength(3);
    const deliveries = (await Promise.all(taskIds.map(async (id) => (await api.get(`/tasks/${id}/deliveries`)).body.items))).flat();
    const states = deliveries.map((d: Record<string, string>) => [d.state, d.code].filter(Boolean).join(' ')).sort();
    // The rest wait for the next hour (the per-number cap holds them), none skipped, none sent.
    expect(states).toEqual([...Array(9).fill('pending per-number-hour'), ...Array(3).fill('sent')]);
  });
});
