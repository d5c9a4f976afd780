import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backfillRegisterIndex } from '../../shared/adapters/register-index-backfill.ts';
import { unpackTaskNotices } from '../../shared/adapters/task-notices-unpack.ts';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { noticesAttribute, PACKED_NOTICES, unpackNotices } from '../../shared/adapters/dynamodb-packed-notices.ts';
import { keys } from '../../shared/adapters/table-layout.ts';
import type { Notice } from '../../shared/domain/model.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * The task item keeps its notices packed (shared/adapters/dynamodb-packed-notices.ts); a task
 * written by the earlier version keeps them as a list, and every path that reads tasks reads
 * it as it was: the task itself, the register's page (by key, BatchGetItem), dispatch's batch
 * read and its send. Its next save writes it packed, on the same version condition. With
 * writing off (`PACK_TASK_NOTICES=false`, the first deploy of an upgrade), saves write the
 * list the earlier version reads, and packed tasks are still read.
 */
const TENANT = 'firm-packed-notices';
const WEEK = `Hei {{customer.name}}!\n\nFristen for {{task.title}} nærmer seg: send oss bilagene for perioden, kvitteringer, fakturaer og kontoutskrifter.`;
const DAY = `Hei {{customer.name}}!\n\nI morgen er siste frist for {{task.title}}. Send det du har nå, også om noe mangler.`;

/** A local stack, a firm's client of its API, and a client of its table. */
interface Deployment {
  stack: TestStack;
  api: ApiClient;
  db: DynamoDBDocumentClient;
}

async function deploy(clock: TestClock, env: Record<string, string> = {}): Promise<Deployment> {
  const stack = await startTestStack({ clock, env });
  const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  return { stack, api: await stack.as(TENANT), db };
}

const rawTask = async ({ stack, db }: Deployment, id: string) =>
  (await db.send(new GetCommand({ TableName: stack.config.TABLE_NAME, Key: { pk: keys.tenant(TENANT), sk: keys.task(id) }, ConsistentRead: true }))).Item!;

async function twoNoticeTask({ api }: Deployment) {
  const customer = await createCustomer(api, { name: 'Fjord Bakeri AS' });
  return createTask(api, customer.id, {
    deadline: '2027-09-03T09:00:00Z',
    notices: [
      emailNotice({ offset: 'P1D', subject: 'Frist om en dag', message: WEEK }),
      emailNotice({ offset: 'PT1H', subject: 'Frist om en time', message: DAY }),
    ],
  });
}

/** The item rewritten with its notices packed (as this version saves it) or as a list (as the earlier version did), the rest as it is. */
async function rewrite(deployment: Deployment, id: string, form: 'packed' | 'list'): Promise<void> {
  const { [PACKED_NOTICES]: _packed, notices, ...rest } = unpackNotices(await rawTask(deployment, id));
  const item = { ...rest, ...noticesAttribute(notices as Notice[], form === 'packed') };
  await deployment.db.send(new PutCommand({ TableName: deployment.stack.config.TABLE_NAME, Item: item }));
}

describe("a task item's notices", () => {
  const clock = new TestClock(new Date('2027-09-01T06:00:00Z'));
  let packing: Deployment;
  let stack: TestStack;
  let api: ApiClient;
  beforeAll(async () => {
    packing = await deploy(clock);
    ({ stack, api } = packing);
  });
  afterAll(() => stack.stop());

  it('are written packed, and read back as they were sent', async () => {
    const task = await twoNoticeTask(packing);
    const item = await rawTask(packing, task.id);
    expect(item.notices).toBeUndefined();
    expect(item[PACKED_NOTICES]).toBeInstanceOf(Uint8Array);
    const read = (await api.get(`/tasks/${task.id}`)).body as typeof task;
    expect(read.notices.map((n) => (n as unknown as { message: string }).message)).toEqual([WEEK, DAY]);
    expect(read.notices).toEqual(task.notices);
  });

  it('written as a list by the earlier version are read on every path, sent, and packed by the next save', async () => {
    const task = await twoNoticeTask(packing);
    const stored = await stack.ports.store.getTask(TENANT, task.id);
    await rewrite(packing, task.id, 'list');
    expect(Array.isArray((await rawTask(packing, task.id)).notices)).toBe(true);

    expect(await stack.ports.store.getTask(TENANT, task.id)).toEqual(stored);
    expect((await api.get(`/tasks/${task.id}`)).body).toMatchObject({ notices: task.notices, version: task.version });
    const page = (await api.get('/tasks?limit=50')).body as { items: { id: string }[] };
    expect(page.items.find((t) => t.id === task.id)).toMatchObject({ notices: task.notices, version: task.version });
    expect(await stack.ports.store.getByKeys([{ tenantId: TENANT, kind: 'task', id: task.id }])).toEqual([stored]);

    // Dispatch reads it in its batch and sends its first notice with the text as written.
    await stack.clearOutbox();
    clock.set('2027-09-02T09:00:00Z');
    await stack.runDue();
    expect((await stack.ports.store.listDeliveries(TENANT, task.id)).map((d) => d.state)).toEqual(['sent']);
    expect((await stack.outbox()).emails.map((e) => e.text).join('\n')).toContain('send oss bilagene for perioden');

    // A save of another version is refused as before; a save of this one writes the notices packed.
    expect((await api.patch(`/tasks/${task.id}`, { title: 'MVA-melding, 5. termin', version: task.version + 1 })).status).toBe(409);
    const saved = await api.patch(`/tasks/${task.id}`, { title: 'MVA-melding, 5. termin', version: task.version });
    expect(saved.status).toBe(200);
    const item = await rawTask(packing, task.id);
    expect(item.notices).toBeUndefined();
    expect(item[PACKED_NOTICES]).toBeInstanceOf(Uint8Array);
    expect((await api.get(`/tasks/${task.id}`)).body).toMatchObject({ title: 'MVA-melding, 5. termin', notices: task.notices, version: task.version + 1 });
  });

  it("count as notices for the register index's backfill", async () => {
    const task = await twoNoticeTask(packing);
    await packing.db.send(
      new UpdateCommand({
        TableName: stack.config.TABLE_NAME,
        Key: { pk: keys.tenant(TENANT), sk: keys.task(task.id) },
        UpdateExpression: 'REMOVE gsi6pk, gsi6sk, gsi7pk, gsi7sk',
      }),
    );
    expect(await backfillRegisterIndex(packing.db, stack.config.TABLE_NAME)).toEqual({ scanned: 1, written: 1 });
    expect((await rawTask(packing, task.id)).gsi6pk).toBe(keys.byStatusNotices(TENANT, 'open', true));
  });
});

describe("a task item's notices with writing off (PACK_TASK_NOTICES=false)", () => {
  const clock = new TestClock(new Date('2027-09-01T06:00:00Z'));
  let listing: Deployment;
  beforeAll(async () => {
    listing = await deploy(clock, { PACK_TASK_NOTICES: 'false' });
  });
  afterAll(() => listing.stack.stop());

  it('are saved as the list the earlier version reads; a task saved packed meanwhile is read, and saved as a list again', async () => {
    const { api, stack } = listing;
    const task = await twoNoticeTask(listing);
    const created = await rawTask(listing, task.id);
    expect(created[PACKED_NOTICES]).toBeUndefined();
    expect((created.notices as { message: string }[]).map((n) => n.message)).toEqual([WEEK, DAY]);

    // A function still packing (the deploy before, or one not yet updated) saves it packed.
    const stored = await stack.ports.store.getTask(TENANT, task.id);
    await rewrite(listing, task.id, 'packed');
    expect((await rawTask(listing, task.id)).notices).toBeUndefined();
    expect(await stack.ports.store.getTask(TENANT, task.id)).toEqual(stored);
    expect((await api.get(`/tasks/${task.id}`)).body).toMatchObject({ notices: task.notices, version: task.version });
    const page = (await api.get('/tasks?limit=50')).body as { items: { id: string }[] };
    expect(page.items.find((t) => t.id === task.id)).toMatchObject({ notices: task.notices, version: task.version });

    const saved = await api.patch(`/tasks/${task.id}`, { title: 'MVA-melding, 5. termin', version: task.version });
    expect(saved.status).toBe(200);
    const item = await rawTask(listing, task.id);
    expect(item[PACKED_NOTICES]).toBeUndefined();
    expect(item.notices).toEqual(task.notices);
  });

  it('saved packed are written back as a list by the unpack script, on their version, once', async () => {
    const task = await twoNoticeTask(listing);
    await rewrite(listing, task.id, 'packed');
    const table = listing.stack.config.TABLE_NAME;
    expect(await unpackTaskNotices(listing.db, table)).toEqual({ scanned: 1, written: 1 });
    const item = await rawTask(listing, task.id);
    expect(item[PACKED_NOTICES]).toBeUndefined();
    expect(item.notices).toEqual(task.notices);
    expect(item.version).toBe(task.version);
    expect((await listing.api.get(`/tasks/${task.id}`)).body).toMatchObject({ notices: task.notices, version: task.version });
    expect(await unpackTaskNotices(listing.db, table)).toEqual({ scanned: 0, written: 0 });
  });
});
