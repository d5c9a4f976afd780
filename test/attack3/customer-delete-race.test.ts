import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * ATTACK (findings.md, 1): `POST /tasks` and `DELETE /customers/{id}` sent together. The
 * delete looked for tasks in the byCustomer index, then deleted unconditionally; the create
 * read the customer, then wrote the task: a create between the two left a task whose
 * customer was gone. Promise (docs/api.md): deleting a customer that has tasks is 409.
 */

let stack: TestStack;
let api: ApiClient;
beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-delete-race');
});
afterAll(() => stack.stop());

it('never leaves a task whose customer was deleted', async () => {
  const orphans: string[] = [];
  for (let i = 0; i < 20; i++) {
    const customer = (await api.post('/customers', { name: `Kunde ${i}`, email: 'post@kunde.no' })).body;
    const [task, deleted] = await Promise.all([
      api.post('/tasks', { title: 'MVA', customerId: customer.id, deadline: '2030-01-01' }),
      new Promise((r) => setTimeout(r, i % 10)).then(() => api.delete(`/customers/${customer.id}`)),
    ]);
    if (task.status === 201 && deleted.status === 204) orphans.push(task.body.id);
  }
  expect(orphans).toEqual([]);
});
