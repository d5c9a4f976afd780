import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * Cursors and limits as a careless or hostile client sends them to GET /tasks: a cursor of
 * another firm, of another filter or date range, altered, cut short, far too long, and limits at
 * and past their bounds. Each is a 422 problem naming its field (docs/api.md, "Paging": a cursor
 * the API did not return for that list is `cursor`), never a 500, and never a page of another
 * firm's tasks.
 */
const clock = new TestClock(new Date('2030-03-01T10:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let other: ApiClient;
const cursors: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as('firm-cursor-edges');
  other = await stack.as('firm-cursor-edges-other');
  for (const client of [api, other]) {
    const customer = await createCustomer(client, { name: 'Kunde AS', email: 'post@kunde.example' });
    for (const deadline of ['2030-04-01', '2030-04-02', '2030-05-01', '2030-05-02']) await createTask(client, customer.id, { deadline });
  }
  const next = async (client: ApiClient, path: string) => {
    const cursor = (await client.get(path)).body.nextCursor as string | undefined;
    expect(cursor, path).toBeDefined();
    return cursor!;
  };
  cursors.april = await next(api, '/tasks?limit=1&deadlineFrom=2030-04-01&deadlineTo=2030-04-30');
  cursors.openApril = await next(api, '/tasks?limit=1&status=open&deadlineFrom=2030-04-01&deadlineTo=2030-04-30');
  cursors.register = await next(api, '/tasks?limit=1');
  cursors.open = await next(api, '/tasks?limit=1&status=open');
  cursors.otherFirm = await next(other, '/tasks?limit=1');
  cursors.otherFirmOpen = await next(other, '/tasks?limit=1&status=open');
}, 60_000);
afterAll(() => stack.stop());

function expectProblem(res: { status: number; body: unknown; headers: Headers }, field: string, rule: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect((res.body as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ field, rule })]);
}

describe('a cursor the API did not return for this list', () => {
  it.each([
    ['april', '/tasks?limit=1&deadlineFrom=2030-05-01'],
    ['april', '/tasks?limit=1&deadlineTo=2030-03-31'],
    ['openApril', '/tasks?limit=1&status=open&deadlineFrom=2030-05-01'],
    ['open', '/tasks?limit=1&status=completed'],
    ['open', '/tasks?limit=1&status=open&hasNotices=false'],
    ['otherFirm', '/tasks?limit=1'],
    ['otherFirmOpen', '/tasks?limit=1&status=open'],
  ])('the %s cursor on %s is 422 cursor', async (from, path) => {
    expectProblem(await api.get(`${path}&cursor=${cursors[from]}`), 'cursor', 'cursor');
  });

  it.each([
    ['cut short', (c: string) => c.slice(0, -3)],
    ['a character changed', (c: string) => `${c.slice(0, 10)}${c[10] === 'A' ? 'B' : 'A'}${c.slice(11)}`],
    ['not base64', () => '!!!!'],
    ['base64 of a JSON array', () => Buffer.from('[1,2]').toString('base64url')],
    ['base64 of an empty object', () => Buffer.from('{}').toString('base64url')],
    [
      'a key of another firm named plainly',
      () =>
        Buffer.from(JSON.stringify({ pk: 'T#firm-cursor-edges-other', sk: 'TASK#x', gsi1pk: 'T#firm-cursor-edges-other#REG', gsi1sk: '2030' })).toString(
          'base64url',
        ),
    ],
  ])('a cursor %s is 422 cursor', async (_name, alter) => {
    expectProblem(await api.get(`/tasks?limit=1&cursor=${encodeURIComponent(alter(cursors.register!))}`), 'cursor', 'cursor');
  });

  // A 40,000-character cursor never reaches the function on AWS: an HTTP API takes at most
  // 10,240 bytes of request line and header values. One that fits is refused by its length.
  it.each([1_001, 9_000])('a cursor of %i characters is 422 max-length', async (length) => {
    expectProblem(await api.get(`/tasks?limit=1&cursor=${'A'.repeat(length)}`), 'cursor', 'max-length');
  });

  it('the cursor of a wider filter pages on under a narrower one that holds its last task', async () => {
    const res = await api.get(`/tasks?limit=1&status=open&deadlineFrom=2030-04-01&cursor=${cursors.open}`);
    expect(res.status).toBe(200);
    expect((res.body.items as { deadline: string }[]).map((t) => t.deadline)).toEqual(['2030-04-02']);
  });
});

describe('limit', () => {
  it.each(['0', '101', '-1', '1.5', '1e1', '0x10', '', '1000000'])('limit=%s is 422 naming limit', async (limit) => {
    const res = await api.get(`/tasks?limit=${limit}`);
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect((res.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['limit']);
  });

  it.each([
    ['1', 1],
    ['100', 4],
    ['007', 4],
  ])('limit=%s pages', async (limit, count) => {
    const res = await api.get(`/tasks?limit=${limit}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(count);
  });
});
