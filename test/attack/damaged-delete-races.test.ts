import { afterAll, beforeAll, expect, it } from 'vitest';
import { damageStoredTask } from '../integration/damage-task.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * ATTACK: DELETE /tasks/{id} of a damaged task raced with itself and with a change of the item
 * under it. Five deletes at once: the task goes once, its hold on the customer is let go once
 * (the customer's other task still holds it), none is answered 500. A delete whose item changed
 * version between its read and its conditional delete (an operator's repair, a save) is refused
 * with 409 and deletes nothing.
 */
const TENANT = 'firm-damaged-races';
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as(TENANT);
}, 60_000);
afterAll(() => stack.stop());

it('five concurrent deletes of a damaged task remove it once and let its customer go once', async () => {
  const customer = await createCustomer(api, { name: 'Kari', email: 'kari@kunde.example' });
  const kept = await createTask(api, customer.id, { deadline: '2030-06-01', notices: [emailNotice()] });
  const damaged = await createTask(api, customer.id, { deadline: '2030-06-02', notices: [emailNotice(), emailNotice({ offset: 'P7D' })] });
  expect((await stack.ports.store.getCustomerHolds(TENANT, customer.id))?.count).toBe(2);
  await damageStoredTask(stack.config, TENANT, damaged.id);

  const answers = await Promise.all(Array.from({ length: 5 }, () => api.delete(`/tasks/${damaged.id}`)));
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
  expect(statuses.every((s) => s === 200 || s === 404)).toBe(true);
  expect((await api.get(`/tasks/${damaged.id}`)).status).toBe(404);
  expect(stack.schedulesOf(TENANT, damaged.id)).toEqual([]);
  expect((await stack.ports.store.getCustomerHolds(TENANT, customer.id))?.count).toBe(1);
  expect((await api.get(`/tasks/${kept.id}`)).status).toBe(200);
  expect((await api.delete(`/customers/${customer.id}`)).status).toBe(409);
});

it('refuses with 409 the delete of a damaged task whose item moved on after it was read, and deletes nothing', async () => {
  const customer = await createCustomer(api, { name: 'Ola', email: 'ola@kunde.example' });
  const task = await createTask(api, customer.id, { deadline: '2030-06-03', notices: [emailNotice()] });
  // Damaged and, between the delete's read and its write, written again at the next version.
  await damageStoredTask(stack.config, TENANT, task.id);
  const store = stack.ports.store;
  const deleteTask = store.deleteTask.bind(store);
  store.deleteTask = async (tenantId, id, expectedVersion) => {
    await damageStoredTask(stack.config, TENANT, task.id, (item) => ({ ...item, version: Number(item.version) + 1 }));
    return deleteTask(tenantId, id, expectedVersion);
  };
  try {
    const answer = await api.delete(`/tasks/${task.id}`);
    expect(answer.status).toBe(409);
  } finally {
    store.deleteTask = deleteTask;
  }
  expect((await api.get(`/tasks/${task.id}`)).status).toBe(500);
  expect(stack.schedulesOf(TENANT, task.id)).toHaveLength(1);
  expect((await stack.ports.store.getCustomerHolds(TENANT, customer.id))?.count).toBe(1);
});
