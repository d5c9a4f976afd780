import { afterAll, beforeAll, expect, it } from 'vitest';
import { damageStoredTask } from '../integration/damage-task.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * ATTACK: the register's `unreadable` under every filter and page size. Each filter reads
 * another index (by status and mark across the firm or within a customer, by customer, the
 * whole register), some side by side across partitions: a damaged task must be met exactly
 * once, listed nowhere, named where it matches the filter and nowhere else. Then it is
 * deleted between two pages: the rest of the paging goes on without it.
 */
const TENANT = 'firm-unreadable-filters';
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as(TENANT);
}, 60_000);
afterAll(() => stack.stop());

/** Every page of `GET /tasks?query` at `limit`: the ids listed and the ids named unreadable, in order. */
async function pages(query: string, limit: number): Promise<{ listed: string[]; unreadable: string[]; pages: number }> {
  const listed: string[] = [];
  const unreadable: string[] = [];
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await api.get(`/tasks?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    listed.push(...page.body.items.map((t: { id: string }) => t.id));
    unreadable.push(...(page.body.unreadable ?? []).map((u: { id: string }) => u.id));
    cursor = page.body.nextCursor;
    count += 1;
  } while (cursor);
  return { listed, unreadable, pages: count };
}

it('names a damaged task once under every filter it matches, and under none it does not', async () => {
  const kari = await createCustomer(api, { name: 'Kari', email: 'kari@kunde.example' });
  const ola = await createCustomer(api, { name: 'Ola', email: 'ola@kunde.example' });
  const made = [];
  for (let i = 0; i < 6; i += 1) {
    const customer = i % 2 ? ola : kari;
    made.push(await createTask(api, customer.id, { title: `t${i}`, deadline: `2030-04-1${i}`, notices: i === 5 ? [] : [emailNotice()] }));
  }
  // One completed, so that status filters split the tasks.
  expect((await api.post(`/tasks/${made[4]!.id}/complete`)).status).toBe(200);
  const damaged = made[2]!; // Kari's, open, with notices, deadline 2030-04-12
  await damageStoredTask(stack.config, TENANT, damaged.id);

  const filters: [string, boolean][] = [
    ['', true],
    ['status=open', true],
    ['status=completed', false],
    ['hasNotices=true', true],
    ['hasNotices=false', false],
    [`customerId=${kari.id}`, true],
    [`customerId=${ola.id}`, false],
    [`customerId=${kari.id}&status=open`, true],
    [`customerId=${kari.id}&hasNotices=false`, false],
    ['deadlineFrom=2030-04-12&deadlineTo=2030-04-12', true],
    ['deadlineFrom=2030-04-13', false],
    ['status=open&hasNotices=true&deadlineTo=2030-04-12', true],
  ];
  for (const [filter, matches] of filters) {
    const whole = await pages(filter, 100);
    for (const limit of [1, 2, 3]) {
      const paged = await pages(filter, limit);
      expect({ filter, limit, listed: paged.listed, unreadable: paged.unreadable }).toEqual({
        filter,
        limit,
        listed: whole.listed,
        unreadable: whole.unreadable,
      });
    }
    expect({ filter, unreadable: whole.unreadable }).toEqual({ filter, unreadable: matches ? [damaged.id] : [] });
    expect(whole.listed).not.toContain(damaged.id);
  }
});

it('goes on without a damaged task deleted between two pages', async () => {
  const customer = await createCustomer(api, { name: 'Per', email: 'per@kunde.example' });
  const made = [];
  for (let i = 0; i < 4; i += 1) made.push(await createTask(api, customer.id, { title: `p${i}`, deadline: `2031-01-1${i}` }));
  await damageStoredTask(stack.config, TENANT, made[2]!.id);
  const query = `customerId=${customer.id}&limit=2`;
  const first = await api.get(`/tasks?${query}`);
  expect(first.body.items.map((t: { id: string }) => t.id)).toEqual([made[0]!.id, made[1]!.id]);
  expect(first.body).not.toHaveProperty('unreadable');
  expect((await api.delete(`/tasks/${made[2]!.id}`)).status).toBe(200);
  const second = await api.get(`/tasks?${query}&cursor=${encodeURIComponent(first.body.nextCursor)}`);
  expect(second.status).toBe(200);
  expect(second.body.items.map((t: { id: string }) => t.id)).toEqual([made[3]!.id]);
  expect(second.body).not.toHaveProperty('unreadable');
});
