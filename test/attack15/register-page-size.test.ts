import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * A register row (and a template) carries the task's notices, and the API takes a task of up to 10 notices of
 * 2,000 characters each, a 4,000-character description, within a 64 KiB body. The answer of
 * GET /tasks leaves the function as its invocation's response, which Lambda caps at 6 MB with
 * the body as an escaped JSON string (every `"` of it two bytes more); over it the invocation
 * fails and API Gateway answers 502, for that page at every try. Here 70 tasks whose texts are
 * as long as the API allows, of the character that grows most on the way out (a quotation
 * mark: 1 byte in the text, 2 in the body, 4 in the response), about 100 KB each in the
 * response, are read at limit=100: each page must be answered, and the pages together hold
 * every task once. (Text of about 60 KB of UTF-8 a task, in a script of 3 bytes a character,
 * does the same at 100 tasks.)
 */
const clock = new TestClock(new Date('2030-03-01T10:00:00Z'));
const TASKS = 70;
/** A template has no description: a few more of them make a page too large. */
const TEMPLATES = 80;
let stack: TestStack;
let api: ApiClient;
let customerId: string;

/** A text of `length` characters that grows the most on its way out: quotation marks, 2 bytes each in the body, 4 in the response. */
const quoted = (length: number) => `S${'"'.repeat(length - 1)}`;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as('firm-register-page-size');
  const customer = await createCustomer(api, { name: 'Sitat AS', email: 'post@sitat.example' });
  customerId = customer.id;
  const notices = Array.from({ length: 10 }, (_, i) => emailNotice({ offset: `P${i + 1}D`, subject: quoted(200), message: quoted(2000) }));
  for (let i = 0; i < TASKS; i += 1) {
    const day = String((i % 28) + 1).padStart(2, '0');
    await createTask(api, customer.id, { title: `Sitat ${String(i).padStart(2, '0')}`, deadline: `2030-04-${day}`, description: quoted(4000), notices });
  }
  for (let i = 0; i < TEMPLATES; i += 1) {
    const template = await api.post('/templates', { name: `Sitat ${String(i).padStart(2, '0')}`, notices });
    expect(template.status).toBe(201);
  }
}, 300_000);
afterAll(() => stack.stop());

/** Every page of `path` at limit=100, each answered and none empty: the names (`title` or `name`) on them, and how many pages. */
async function everyPage(path: string, most: number): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status).toBe(200);
    const items = res.body.items as { title?: string; name?: string }[];
    expect(items.length).toBeGreaterThan(0);
    names.push(...items.map((item) => item.title ?? item.name!));
    cursor = res.body.nextCursor as string | undefined;
    pages += 1;
  } while (cursor && pages < most);
  expect(cursor).toBeUndefined();
  return { names, pages };
}

const named = (count: number) => Array.from({ length: count }, (_, i) => `Sitat ${String(i).padStart(2, '0')}`);

it.each([
  ['the register', () => '/tasks'],
  ['open tasks', () => '/tasks?status=open'],
  ["a customer's tasks", () => `/tasks?customerId=${customerId}`],
  ["a customer's open tasks with notices", () => `/tasks?customerId=${customerId}&status=open&hasNotices=true`],
])(
  'every page of %s at limit=100 is answered within the invocation response limit, and the pages hold every task once',
  async (_name, path) => {
    const { names, pages } = await everyPage(path(), TASKS);
    expect(names.sort()).toEqual(named(TASKS));
    // The set is one the response limit matters for: all of it in one answer would not fit.
    expect(pages).toBeGreaterThan(1);
  },
  120_000,
);

it('every page of the templates at limit=100 is answered, and the pages hold every template once', async () => {
  const { names, pages } = await everyPage('/templates', TEMPLATES);
  expect(names).toEqual(named(TEMPLATES));
  expect(pages).toBeGreaterThan(1);
}, 120_000);

it('a page at a small limit is as it always was: full, with a cursor', async () => {
  const res = await api.get('/tasks?limit=10');
  expect(res.status).toBe(200);
  expect(res.body.items).toHaveLength(10);
  expect(res.body.nextCursor).toBeDefined();
});
