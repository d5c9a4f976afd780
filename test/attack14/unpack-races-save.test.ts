import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { noticesAttribute, PACKED_NOTICES, unpackNotices } from '../../shared/adapters/dynamodb-packed-notices.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import { unpackTaskNotices } from '../../shared/adapters/task-notices-unpack.ts';
import type { Notice } from '../../shared/domain/model.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/**
 * `npm run unpack:task-notices` runs against a live table while the functions, deployed with
 * writing off, keep saving tasks. A save that lands between the script's scan and its write of
 * that task must stand as saved (its new title, its version), and the script's write must not
 * bring the scanned notices back over it; the other tasks are unpacked, and every task reads
 * as it was saved.
 */
const clock = new TestClock(new Date('2027-09-01T06:00:00Z'));
const TENANT = 'firm-unpack-race';
let stack: TestStack;
let api: ApiClient;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startTestStack({ clock, env: { PACK_TASK_NOTICES: 'false' } });
  api = await stack.as(TENANT);
  db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
}, 60_000);
afterAll(() => stack.stop());

const rawTask = async (id: string) =>
  (await db.send(new GetCommand({ TableName: stack.config.TABLE_NAME, Key: { pk: keys.tenant(TENANT), sk: keys.task(id) }, ConsistentRead: true }))).Item!;

/** The task item as a version that packs saved it. */
async function packed(id: string): Promise<void> {
  const { [PACKED_NOTICES]: _packed, notices, ...rest } = unpackNotices(await rawTask(id));
  await db.send(new PutCommand({ TableName: stack.config.TABLE_NAME, Item: { ...rest, ...noticesAttribute(notices as Notice[], true) } }));
}

it('a save between the scan and the write stands; the other tasks are unpacked on their version', async () => {
  const customer = await createCustomer(api, { name: 'Fjord Bakeri AS' });
  const raced = await createTask(api, customer.id, { title: 'raced', deadline: '2027-09-03', notices: [emailNotice({ message: 'Første tekst.' })] });
  const quiet = await createTask(api, customer.id, { title: 'quiet', deadline: '2027-09-03', notices: [emailNotice({ message: 'Annen tekst.' })] });
  await packed(raced.id);
  await packed(quiet.id);

  // The table's client of the script: before its first write, the API saves that very task, new text and all.
  let racedSave: { status: number; body: { version: number } } | undefined;
  let savedId = '';
  const racing = {
    send: async (command: unknown) => {
      if (command instanceof UpdateCommand && !racedSave) {
        const id = String(command.input.Key!.sk).slice(keys.task('').length);
        const { version } = (await api.get(`/tasks/${id}`)).body as { version: number };
        const notices = [emailNotice({ message: 'Ny tekst etter skanningen.' })];
        racedSave = await api.patch(`/tasks/${id}`, { title: 'saved meanwhile', notices, version });
        expect(racedSave.status).toBe(200);
        savedId = id;
      }
      return db.send(command as UpdateCommand);
    },
  } as unknown as DynamoDBDocumentClient;

  expect(await unpackTaskNotices(racing, stack.config.TABLE_NAME)).toEqual({ scanned: 2, written: 1 });
  const otherId = savedId === raced.id ? quiet.id : raced.id;

  const saved = await rawTask(savedId);
  expect(saved[PACKED_NOTICES]).toBeUndefined();
  expect({ title: saved.title, version: saved.version, messages: (saved.notices as Notice[]).map((n) => n.message) }).toEqual({
    title: 'saved meanwhile',
    version: racedSave!.body.version,
    messages: ['Ny tekst etter skanningen.'],
  });
  const other = await rawTask(otherId);
  expect(other[PACKED_NOTICES]).toBeUndefined();
  expect((await api.get(`/tasks/${otherId}`)).body).toMatchObject({ version: otherId === raced.id ? raced.version : quiet.version });
  expect((other.notices as Notice[]).map((n) => n.message)).toEqual([otherId === raced.id ? 'Første tekst.' : 'Annen tekst.']);
  expect(await unpackTaskNotices(db, stack.config.TABLE_NAME)).toEqual({ scanned: 0, written: 0 });
}, 120_000);
