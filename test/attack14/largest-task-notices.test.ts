import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { PACKED_NOTICES } from '../../shared/adapters/dynamodb-packed-notices.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import { unpackTaskNotices } from '../../shared/adapters/task-notices-unpack.ts';
import { MAX_NOTICES_PER_TASK } from '../../shared/api/task.schemas.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice, fieldRules } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * A task near the largest body the API takes (MAX_BODY_BYTES, 64 KB, which keeps any task item
 * far under DynamoDB's 400 KB), with texts that do not compress (random CJK characters, three
 * bytes each in UTF-8): saved packed, it reads back exactly through the task and the register's
 * page, and the unpack script of a rollback writes it as a list. A 40,000-character text is
 * refused by the API, naming the field, and nothing is stored.
 */
const clock = new TestClock(new Date('2027-09-01T06:00:00Z'));
const TENANT = 'firm-largest-task';
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as(TENANT);
}, 60_000);
afterAll(() => stack.stop());

/** `length` characters drawn at random from the CJK Unified Ideographs block. */
function randomCjk(length: number): string {
  return Array.from({ length }, () => String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 0x5200))).join('');
}

it('a task near the largest body, incompressible, is read back exactly packed and fits as a list after the unpack script', async () => {
  const customer = await createCustomer(api, { name: 'Stor Tekst AS' });
  const notices = Array.from({ length: MAX_NOTICES_PER_TASK }, () =>
    emailNotice({ when: 'after', offset: 'P1D', subject: randomCjk(200), message: randomCjk(1500), repeat: { every: 1, times: 12 } }),
  );
  const task = await createTask(api, customer.id, { title: randomCjk(200), deadline: '2027-12-01', notices });
  expect((task.notices as unknown as { message: string }[]).map((n) => n.message)).toEqual(notices.map((n) => n.message));

  const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  const read = async () =>
    (await db.send(new GetCommand({ TableName: stack.config.TABLE_NAME, Key: { pk: keys.tenant(TENANT), sk: keys.task(task.id) }, ConsistentRead: true })))
      .Item!;
  expect((await read())[PACKED_NOTICES]).toBeInstanceOf(Uint8Array);
  const stored = { title: task.title, notices: task.notices, nextNoticeAt: task.nextNoticeAt, version: task.version };
  expect((await api.get(`/tasks/${task.id}`)).body).toMatchObject(stored);
  const page = (await api.get('/tasks?limit=50')).body as { items: { id: string }[] };
  expect(page.items.find((t) => t.id === task.id)).toMatchObject(stored);

  expect(await unpackTaskNotices(db, stack.config.TABLE_NAME)).toEqual({ scanned: 1, written: 1 });
  const unpacked = await read();
  expect(unpacked[PACKED_NOTICES]).toBeUndefined();
  expect((await api.get(`/tasks/${task.id}`)).body).toMatchObject(stored);
});

it('a 40,000-character message is refused, naming the field, and no task is stored', async () => {
  const customer = await createCustomer(api, { name: 'Lang Tekst AS' });
  const before = (await api.get(`/tasks?customerId=${customer.id}&limit=50`)).body.items as unknown[];
  const response = await api.post('/tasks', {
    title: 'For lang',
    customerId: customer.id,
    deadline: '2027-12-01',
    notices: [emailNotice({ message: 'x'.repeat(40_000) })],
  });
  expect(response.status).toBe(422);
  expect(fieldRules(response.body)).toContain('notices.0.message max-length');
  expect(before).toEqual([]);
  expect((await api.get(`/tasks?customerId=${customer.id}&limit=50`)).body.items).toEqual([]);
});
