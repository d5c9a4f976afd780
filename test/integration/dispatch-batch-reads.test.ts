import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-batch-reads';
const clock = new TestClock(new Date('2030-01-01T10:00:00Z'));

let stack: TestStack;
let api: ApiClient;
const dispatchCalls: AwsCall[] = [];

beforeAll(async () => {
  stack = await startTestStack({ clock, recordAwsCalls: (fn, call) => fn === 'dispatch' && dispatchCalls.push(call) });
  api = await stack.as(TENANT);
  await api.put('/settings', { firm: { name: 'Tall & Tid AS' }, emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
});
afterAll(() => stack.stop());

/** How many times dispatch read the item of this sort key (GetItem, its input as sent: attribute values typed). */
function readsOf(sortKey: string): number {
  return dispatchCalls.filter((call) => call.command === 'GetItemCommand' && (call.input.Key as { sk: { S: string } }).sk.S === sortKey).length;
}

it('reads the settings and each customer once for a batch that has several of their notices', async () => {
  const twice = await createCustomer(api, { name: 'Fjord Bakeri AS', email: 'post@fjordbakeri.example' });
  const once = await createCustomer(api, { name: 'Ærlig Øl AS', email: 'post@erlig.example' });
  for (const [customer, title] of [
    [twice, 'MVA-melding'],
    [twice, 'Skattemelding'],
    [once, 'A-melding'],
  ] as const) {
    await createTask(api, customer.id, { title, deadline: '2030-02-10' });
  }
  // All three notices fall due at once: the event source mapping hands them to dispatch in one batch.
  clock.set('2030-02-07T08:00:30Z');
  await stack.runDue();

  const emails = (await stack.outbox()).emails;
  expect(emails.map((e) => e.to[0]).sort()).toEqual([
    '"Fjord Bakeri AS" <post@fjordbakeri.example>',
    '"Fjord Bakeri AS" <post@fjordbakeri.example>',
    '"Ærlig Øl AS" <post@erlig.example>',
  ]);
  expect(readsOf(keys.customer(twice.id))).toBe(1);
  expect(readsOf(keys.customer(once.id))).toBe(1);
  expect(readsOf(keys.settings())).toBe(1);
});
