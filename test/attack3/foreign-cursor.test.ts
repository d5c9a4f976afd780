import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * Attack on issue 8: a cursor is checked to lie inside the caller's tenant, but not to belong
 * to the list it is sent to. The customers' cursor sent to GET /tasks (or a register cursor
 * sent with another filter, which picks another index) reached DynamoDB as an invalid
 * ExclusiveStartKey and answered 500. It must be 422 `cursor`, like any cursor the API did
 * not return for that list.
 */
let stack: TestStack;
let api: ApiClient;
let cursors: Record<string, string>;
beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-foreign-cursor');
  const customers = [];
  for (const name of ['Alfa AS', 'Beta AS']) customers.push((await api.post('/customers', { name, email: 'post@alfa.no' })).body.id as string);
  for (const deadline of ['2030-01-01', '2030-02-01']) await api.post('/tasks', { title: 'MVA', customerId: customers[0], deadline });
  const next = async (path: string) => {
    const cursor = (await api.get(path)).body.nextCursor as string | undefined;
    expect(cursor, path).toBeDefined();
    return cursor!;
  };
  cursors = {
    customers: await next('/customers?limit=1'),
    register: await next('/tasks?limit=1'),
    byCustomer: await next(`/tasks?limit=1&customerId=${customers[0]}`),
  };
});
afterAll(() => stack.stop());

describe('a cursor of another list', () => {
  it.each([
    ['customers', '/tasks?limit=1'],
    ['register', '/customers?limit=1'],
    ['register', '/tasks?limit=1&status=open'],
    ['byCustomer', '/tasks?limit=1'],
    ['customers', '/tasks?limit=1&status=open'],
  ])('the %s cursor on %s is 422 cursor', async (from, path) => {
    const res = await api.get(`${path}&cursor=${cursors[from]}`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'cursor', rule: 'cursor' })]);
  });

  it('still pages its own list', async () => {
    const res = await api.get(`/tasks?limit=1&cursor=${cursors.register}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
  });
});
