import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * Every filter combination of GET /tasks, paged at every small limit over a set that does not
 * change: the pages together are the filter's tasks, each once, in register order; no page is
 * empty while it has a `nextCursor`, none but the last is short, and the last has no cursor.
 * The set has what makes the merge of several index partitions (a status or mark asked for)
 * go wrong if anything does: tasks of every status and mark interleaved on one deadline, ties
 * broken by id, tasks without a deadline (sorted last), a date-time deadline, two customers.
 */
const clock = new TestClock(new Date('2030-03-01T10:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let customers: string[];

type Row = { id: string; title: string; customerId: string; status: string; hasNotices: boolean; deadline?: string };
let all: Row[];

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as('firm-register-filter-pages');
  customers = [
    (await createCustomer(api, { name: 'Alfa AS', email: 'post@alfa.example' })).id,
    (await createCustomer(api, { name: 'Beta AS', email: 'post@beta.example' })).id,
  ];
  const made: { customer: number; deadline?: string; notices: boolean; complete: boolean }[] = [
    { customer: 0, deadline: '2030-04-01', notices: true, complete: false },
    { customer: 1, deadline: '2030-04-01', notices: false, complete: false },
    { customer: 0, deadline: '2030-04-01', notices: false, complete: true },
    { customer: 1, deadline: '2030-04-01', notices: true, complete: true },
    { customer: 0, deadline: '2030-04-02T14:00:00+02:00', notices: true, complete: false },
    { customer: 1, deadline: '2030-04-03', notices: true, complete: false },
    { customer: 0, deadline: '2030-04-03', notices: false, complete: false },
    { customer: 1, deadline: '2030-05-10', notices: false, complete: true },
    { customer: 0, deadline: '2030-05-10', notices: true, complete: false },
    { customer: 0, notices: false, complete: false },
    { customer: 1, notices: false, complete: true },
    { customer: 0, notices: false, complete: false },
  ];
  for (const [i, task] of made.entries()) {
    const { id } = await createTask(api, customers[task.customer]!, {
      title: `T${i}`,
      ...(task.deadline ? { deadline: task.deadline } : { deadline: undefined }),
      ...(task.notices ? {} : { notices: [] }),
    });
    if (task.complete) expect((await api.post(`/tasks/${id}/complete`)).status).toBe(200);
  }
  const res = await api.get('/tasks?limit=100');
  expect(res.body.nextCursor).toBeUndefined();
  all = res.body.items as Row[];
  expect(all).toHaveLength(made.length);
}, 120_000);
afterAll(() => stack.stop());

const filters = {
  status: [undefined, 'open', 'completed'],
  hasNotices: [undefined, 'true', 'false'],
  customerId: [undefined, 0],
  range: [undefined, ['2030-04-01', '2030-04-03'], ['2030-04-02', undefined], [undefined, '2030-04-01']],
} as const;

type Filter = { status?: string; hasNotices?: string; customerId?: number; range?: readonly [string | undefined, string | undefined] };

function combinations(): Filter[] {
  const out: Filter[] = [];
  for (const status of filters.status)
    for (const hasNotices of filters.hasNotices)
      for (const customerId of filters.customerId) for (const range of filters.range) out.push({ status, hasNotices, customerId, range });
  return out;
}

/** The filter's query string; `customer` names the customer by its place (the ids exist only once the tests run). */
function queryOf(filter: Filter, customer = (n: number) => customers[n]!): string {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.hasNotices) params.set('hasNotices', filter.hasNotices);
  if (filter.customerId !== undefined) params.set('customerId', customer(filter.customerId));
  if (filter.range?.[0]) params.set('deadlineFrom', filter.range[0]);
  if (filter.range?.[1]) params.set('deadlineTo', filter.range[1]);
  return params.toString();
}

/** The filter's tasks, from the whole register read at once (its order is the register's). */
function expected(filter: Filter): string[] {
  return all
    .filter((t) => !filter.status || t.status === filter.status)
    .filter((t) => !filter.hasNotices || String(t.hasNotices) === filter.hasNotices)
    .filter((t) => filter.customerId === undefined || t.customerId === customers[filter.customerId])
    .filter((t) => !filter.range || (t.deadline !== undefined && (!filter.range[0] || t.deadline.slice(0, 10) >= filter.range[0])))
    .filter((t) => !filter.range?.[1] || (t.deadline !== undefined && t.deadline.slice(0, 10) <= filter.range[1]))
    .map((t) => t.title);
}

describe.each(combinations().map((filter) => [queryOf(filter, (n) => `customer${n}`) || '(no filter)', filter] as const))('GET /tasks?%s', (_name, filter) => {
  it.each([1, 2, 3])('pages at limit %i: each task once, full pages, no cursor after the last', async (limit) => {
    const want = expected(filter);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page <= want.length; page += 1) {
      const query = [queryOf(filter), `limit=${limit}`, cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&');
      const res = await api.get(`/tasks?${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const titles = (res.body.items as Row[]).map((t) => t.title);
      cursor = res.body.nextCursor as string | undefined;
      if (cursor) expect(titles, 'a page with a cursor is full').toHaveLength(limit);
      seen.push(...titles);
      if (!cursor) break;
    }
    expect(cursor, 'no cursor after the last page').toBeUndefined();
    expect(seen).toEqual(want);
  });
});
