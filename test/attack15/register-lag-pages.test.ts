import { createServer, request } from 'node:http';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { listen, LOOPBACK } from '../../local/listen.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * The register (and the customers' list) reads a page's keys from a keys-only index, then the
 * items by key, and leaves out an item no longer where the index listed it. On AWS the index
 * lags the table, so the keys of a page may all name tasks completed or deleted a moment ago.
 * Here they are changed between the Query and the BatchGetItem (through the API, while a front
 * in front of the local DynamoDB holds the read by key back), which is the state that lag
 * leaves. A page must still hold `limit` items while that many more exist: never an empty
 * page with a `nextCursor`, and every task still where it was listed exactly once.
 */
const clock = new TestClock(new Date('2030-03-01T10:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let firms = 0;

/** Run once, before the next BatchGetItem reaches DynamoDB (the front holds it until it is done). */
let beforeReadByKey: (() => Promise<void>) | undefined;
/** Changes the answers to Queries while set (the request and the answer, in DynamoDB's JSON). */
let alterQueryAnswer: ((query: QueryRequest, answer: QueryAnswer) => QueryAnswer) | undefined;
type AttributeMap = Record<string, { S: string }>;
type QueryRequest = { IndexName?: string; ExpressionAttributeValues: AttributeMap; ExclusiveStartKey?: AttributeMap };
type QueryAnswer = { Items: AttributeMap[]; Count: number; ScannedCount: number; LastEvaluatedKey?: AttributeMap };
/** What the last hook threw: the read by key goes on regardless, and the test fails on it. */
let hookFailure: unknown;

async function startFront(target: string): Promise<string> {
  const server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const hook = String(incoming.headers['x-amz-target']).endsWith('.BatchGetItem') ? beforeReadByKey : undefined;
      if (hook) beforeReadByKey = undefined;
      void (hook ?? (async () => {}))()
        .catch((error: unknown) => (hookFailure = error))
        .then(() => {
          const alter = String(incoming.headers['x-amz-target']).endsWith('.Query') ? alterQueryAnswer : undefined;
          const forward = request(target, { method: incoming.method, path: incoming.url, headers: incoming.headers }, (reply) => {
            if (!alter) {
              answer.writeHead(reply.statusCode ?? 500, reply.headers);
              return void reply.pipe(answer);
            }
            const replied: Buffer[] = [];
            reply.on('data', (chunk: Buffer) => replied.push(chunk));
            reply.on('end', () => {
              const body = JSON.stringify(alter(JSON.parse(Buffer.concat(chunks).toString()), JSON.parse(Buffer.concat(replied).toString())));
              // The answer's checksum is DynamoDB's of the answer it sent: gone with the change.
              const { 'x-amz-crc32': _crc, 'content-length': _length, ...headers } = reply.headers;
              answer.writeHead(reply.statusCode ?? 500, { ...headers, 'content-length': Buffer.byteLength(body) });
              answer.end(body);
            });
          });
          forward.end(Buffer.concat(chunks));
        });
    });
  });
  server.unref();
  return `http://${LOOPBACK}:${await listen(server, 0)}`;
}

beforeAll(async () => {
  stack = await startTestStack({ clock, frontDynamoDb: startFront });
}, 60_000);
afterAll(() => stack.stop());

let customerId: string;
let taskIds: string[];
beforeEach(async () => {
  hookFailure = undefined;
  alterQueryAnswer = undefined;
  api = await stack.as(`firm-register-lag-${(firms += 1)}`);
  customerId = (await createCustomer(api, { name: 'Lagerhuset AS', email: 'post@lagerhuset.example' })).id;
  taskIds = [];
  for (const day of ['01', '02', '03', '04', '05']) taskIds.push((await createTask(api, customerId, { title: `MVA ${day}`, deadline: `2030-04-${day}` })).id);
});

/** Every page of `path` (at `limit`) from `from`, by the titles on each. */
async function pages(path: string, from?: string, limit = 2): Promise<{ titles: string[]; nextCursor?: string }[]> {
  const seen = [];
  let cursor = from;
  do {
    const res = await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as { items: { title?: string; name?: string }[]; nextCursor?: string };
    seen.push({ titles: body.items.map((item) => item.title ?? item.name!), ...(body.nextCursor ? { nextCursor: body.nextCursor } : {}) });
    cursor = body.nextCursor;
  } while (cursor && seen.length < 10);
  expect(hookFailure).toBeUndefined();
  return seen;
}

const titlesOf = (read: { titles: string[] }[]) => read.map((page) => page.titles);

it('the register: the two tasks of the first page deleted after the index listed them', async () => {
  beforeReadByKey = async () => {
    for (const id of taskIds.slice(0, 2)) expect((await api.delete(`/tasks/${id}`)).status).toBe(200);
  };
  expect(titlesOf(await pages('/tasks'))).toEqual([['MVA 03', 'MVA 04'], ['MVA 05']]);
});

it('open tasks: the two of the first page completed after the index listed them', async () => {
  beforeReadByKey = async () => {
    for (const id of taskIds.slice(0, 2)) expect((await api.post(`/tasks/${id}/complete`)).status).toBe(200);
  };
  expect(titlesOf(await pages('/tasks?status=open'))).toEqual([['MVA 03', 'MVA 04'], ['MVA 05']]);
});

it("a customer's open tasks: the two of the first page completed after the index listed them", async () => {
  beforeReadByKey = async () => {
    for (const id of taskIds.slice(0, 2)) expect((await api.post(`/tasks/${id}/complete`)).status).toBe(200);
  };
  expect(titlesOf(await pages(`/tasks?status=open&customerId=${customerId}`))).toEqual([['MVA 03', 'MVA 04'], ['MVA 05']]);
});

it('the customers: the two of the first page deleted after the index listed them', async () => {
  for (const name of ['Bakeriet AS', 'Cafe AS', 'Dampen AS']) await createCustomer(api, { name, email: 'post@firma.example' });
  const customers = (await api.get('/customers?limit=2')).body.items as { id: string; name: string }[];
  expect(customers.map((c) => c.name)).toEqual(['Bakeriet AS', 'Cafe AS']);
  beforeReadByKey = async () => {
    for (const { id } of customers) expect((await api.delete(`/customers/${id}`)).status).toBe(204);
  };
  expect(titlesOf(await pages('/customers'))).toEqual([['Dampen AS', 'Lagerhuset AS']]);
});

/** The first page (limit 2), then `between`, then the rest from its cursor. */
async function pagesAround(path: string, between: () => Promise<void>): Promise<string[][]> {
  const first = await api.get(`${path}${path.includes('?') ? '&' : '?'}limit=2`);
  const cursor = first.body.nextCursor as string;
  expect(cursor).toBeDefined();
  await between();
  const rest = await pages(path, cursor);
  return [(first.body.items as { title: string }[]).map((t) => t.title), ...titlesOf(rest)];
}

it('the task a cursor points at, deleted before the next page is read: the next page starts after it', async () => {
  const read = await pagesAround('/tasks', async () => {
    expect((await api.delete(`/tasks/${taskIds[1]}`)).status).toBe(200);
  });
  expect(read).toEqual([['MVA 01', 'MVA 02'], ['MVA 03', 'MVA 04'], ['MVA 05']]);
});

it('the task a cursor points at, completed before the next open page is read: the next page starts after it', async () => {
  const read = await pagesAround('/tasks?status=open', async () => {
    expect((await api.post(`/tasks/${taskIds[1]}/complete`)).status).toBe(200);
  });
  expect(read).toEqual([['MVA 01', 'MVA 02'], ['MVA 03', 'MVA 04'], ['MVA 05']]);
});

it.each([
  // Its two entries at the page's end: the stale one on this page, the other passed by the cursor.
  [2, [['MVA 01', 'MVA 02'], ['MVA 03', 'MVA 04'], ['MVA 05']]],
  // Both inside the page: one read by key of both (BatchGetItem refuses a key asked for twice).
  [
    3,
    [
      ['MVA 01', 'MVA 02', 'MVA 03'],
      ['MVA 04', 'MVA 05'],
    ],
  ],
])('a task completed a moment ago, listed by the lagging index both where it was and where it is: listed once (limit %i)', async (limit, expected) => {
  const [, moved] = taskIds;
  expect((await api.post(`/tasks/${moved}/complete`)).status).toBe(200);
  const tenant = `firm-register-lag-${firms}`;
  const stale = { pk: { S: keys.tenant(tenant) }, sk: { S: keys.task(moved!) } };
  const openWithNotices = keys.byStatusNotices(tenant, 'open', true);
  // The entry the index has not yet removed: the task under open, at its deadline.
  alterQueryAnswer = (query, answer) => {
    if (query.IndexName !== 'gsi6' || query.ExpressionAttributeValues[':pk']?.S !== openWithNotices || query.ExclusiveStartKey) return answer;
    const entry = { ...stale, gsi6pk: { S: openWithNotices }, gsi6sk: { S: `2030-04-02#${moved}` } };
    const items = [...answer.Items, entry].sort((a, b) => (a.gsi6sk.S < b.gsi6sk.S ? -1 : 1));
    return { ...answer, Items: items, Count: items.length, ScannedCount: items.length };
  };
  expect(titlesOf(await pages('/tasks?hasNotices=true', undefined, limit))).toEqual(expected);
});
