import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * ATTACK: bodies a careless or hostile client sends, through real HTTP. Each is the client's
 * fault and must be answered 4xx, never 500, and change nothing.
 */
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-bad-input');
}, 60_000);
afterAll(() => stack.stop());

it('refuses JSON nested deeper than any body of the API with 400, not a stack overflow answered 500', async () => {
  // 20,000 levels of arrays in 40 KB, 10,000 of objects in 60 KB: under the body limit, and valid JSON.
  for (const body of ['['.repeat(20_000) + ']'.repeat(20_000), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)]) {
    const answer = await api.call('POST', '/customers', body);
    expect({ status: answer.status, title: answer.body.title }).toEqual({ status: 400, title: 'Malformed request' });
  }
  const customer = await createCustomer(api);
  const task = await createTask(api, customer.id);
  const patch = await api.call('PATCH', `/tasks/${task.id}`, `{"version":1,"title":${'['.repeat(20_000)}${']'.repeat(20_000)}}`, {
    'content-type': 'application/merge-patch+json',
  });
  expect(patch.status).toBe(400);
  expect((await api.get(`/tasks/${task.id}`)).body.version).toBe(1);
});
