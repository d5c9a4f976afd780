import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createTask, emailNotice, fieldRules } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const clock = { now: () => new Date('2027-01-15T12:00:00Z') };

let stack: TestStack;
let api: ApiClient;
const ids: Record<string, string> = {};
let customerA: string;
let customerB: string;

/** Titles of a register page, in the order served. */
async function titles(query: string): Promise<string[]> {
  const res = await api.get(`/tasks${query}`);
  expect(res.status).toBe(200);
  return res.body.items.map((t: { title: string }) => t.title);
}

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as('firm-register');
  customerA = (await createCustomer(api, { name: 'A' })).id;
  customerB = (await createCustomer(api, { name: 'B' })).id;
  ids.a1 = (await createTask(api, customerA, { title: 'A1', deadline: '2027-02-01' })).id;
  ids.a2 = (await createTask(api, customerA, { title: 'A2', deadline: '2027-03-01', notices: [] })).id;
  ids.b1 = (await createTask(api, customerB, { title: 'B1', deadline: '2027-02-15T14:00:00+01:00', notices: [emailNotice({ offset: 'PT2H' })] })).id;
  ids.b2 = (await createTask(api, customerB, { title: 'B2', deadline: undefined, notices: [] })).id;
  await api.post(`/tasks/${ids.a2}/complete`);
});
afterAll(() => stack.stop());

describe('the task register', () => {
  it('lists every task by deadline, tasks without one last', async () => {
    expect(await titles('')).toEqual(['A1', 'B1', 'A2', 'B2']);
  });

  it('filters by customer', async () => {
    expect(await titles(`?customerId=${customerB}`)).toEqual(['B1', 'B2']);
  });

  it('filters by status', async () => {
    expect(await titles('?status=completed')).toEqual(['A2']);
    expect(await titles('?status=open')).toEqual(['A1', 'B1', 'B2']);
  });

  it('filters by customer and status together', async () => {
    expect(await titles(`?customerId=${customerA}&status=open`)).toEqual(['A1']);
  });

  it('filters by a deadline range, both ends inclusive, date-time deadlines by their date', async () => {
    expect(await titles('?deadlineFrom=2027-02-01&deadlineTo=2027-02-15')).toEqual(['A1', 'B1']);
    expect(await titles('?deadlineFrom=2027-02-02')).toEqual(['B1', 'A2']);
    expect(await titles('?deadlineTo=2027-02-14')).toEqual(['A1']);
  });

  it('filters by the clock mark', async () => {
    expect(await titles('?hasNotices=true')).toEqual(['A1', 'B1']);
    expect(await titles('?hasNotices=false')).toEqual(['A2', 'B2']);
  });

  it('shows the clock mark and the next notice time on each row', async () => {
    const res = await api.get(`/tasks?customerId=${customerB}`);
    expect(res.body.items[0]).toMatchObject({ title: 'B1', customerName: 'B', hasNotices: true, nextNoticeAt: '2027-02-15T11:00:00Z' });
    expect(res.body.items[1]).toMatchObject({ title: 'B2', hasNotices: false });
    expect(res.body.items[1].nextNoticeAt).toBeUndefined();
  });

  it("names each row's customer as the customer is called now", async () => {
    const customer = (await api.get(`/customers/${customerA}`)).body;
    expect((await api.patch(`/customers/${customerA}`, { name: 'A Renamed', version: customer.version })).status).toBe(200);
    const rows = (await api.get(`/tasks?customerId=${customerA}`)).body.items;
    expect(rows.map((t: { customerName: string }) => t.customerName)).toEqual(['A Renamed', 'A Renamed']);
    expect((await api.get(`/tasks/${ids.a1}`)).body.customerName).toBe('A Renamed');
  });

  it('pages with a cursor until every task was seen once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await api.get(`/tasks?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.items.map((t: { title: string }) => t.title));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['A1', 'B1', 'A2', 'B2']);
  });

  it('fills every page while more tasks match, also behind a filter, and gives no cursor after the last one', async () => {
    const pages = async (query: string) => {
      const sizes: number[] = [];
      let cursor: string | undefined;
      do {
        const res = await api.get(`/tasks?${query}${cursor ? `&cursor=${cursor}` : ''}`);
        sizes.push(res.body.items.length);
        cursor = res.body.nextCursor;
      } while (cursor);
      return sizes;
    };
    expect(await pages('limit=2')).toEqual([2, 2]);
    expect(await pages('limit=4')).toEqual([4]);
    expect(await pages('limit=1&hasNotices=false')).toEqual([1, 1]);
    expect(await pages('limit=2&hasNotices=false')).toEqual([2]);
    expect(await pages(`limit=1&customerId=${customerA}&status=open`)).toEqual([1]);
    expect(await pages('limit=5&status=completed')).toEqual([1]);
  });

  it.each([
    ['?status=done', 'status one-of'],
    ['?deadlineFrom=15.02.2027', 'deadlineFrom date'],
    ['?hasNotices=yes', 'hasNotices one-of'],
    ['?cursor=not-a-cursor', 'cursor cursor'],
    ['?colour=red', 'colour unknown-field'],
  ])('refuses %s naming the parameter', async (query, expected) => {
    const res = await api.get(`/tasks${query}`);
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toContain(expected);
  });
});
