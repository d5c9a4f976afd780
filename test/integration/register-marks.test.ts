import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { AttentionMarks } from '../../shared/adapters/attention-marks.ts';
import { backfillAttentionMarks } from '../../shared/adapters/attention-marks-backfill.ts';
import { DeliveryRecords } from '../../shared/adapters/delivery-records.ts';
import { createDynamoDbClient } from '../../shared/adapters/dynamodb-client.ts';
import { DynamoTable } from '../../shared/adapters/dynamodb-table.ts';
import type { Outcome } from '../../shared/domain/attention.ts';
import { deliveryId, type Delivery } from '../../shared/domain/delivery.ts';
import { LOCAL_CREDENTIALS } from '../../local/local-dynamodb.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * The register's warning mark is read with the page's customers, by key, from an item per task
 * that every final delivery outcome updates (shared/adapters/attention-marks.ts): a page costs
 * the same few DynamoDB calls whatever its tasks' delivery histories, and shows what the task
 * page (which reads the delivery records) shows.
 */
const TENANT = 'firm-register-marks';
const ROWS = 50;
const clock = new TestClock(new Date('2027-03-01T10:00:00Z'));

let stack: TestStack;
let api: ApiClient;
let table: DynamoTable;
const calls: AwsCall[] = [];

beforeAll(async () => {
  stack = await startTestStack({ clock, recordAwsCalls: (fn, call) => fn === 'api' && calls.push(call) });
  api = await stack.as(TENANT);
  await api.put('/settings', { firm: { name: 'Tall & Tid AS' }, emailSender: { from: 'varsel@tallogtid.example' }, version: 0 });
  const db = createDynamoDbClient({ endpoint: stack.config.DYNAMODB_ENDPOINT, region: stack.config.AWS_REGION, credentials: LOCAL_CREDENTIALS });
  table = new DynamoTable(db, stack.config.TABLE_NAME);
  // Every fifth customer loses its e-mail address after its task is saved: its notice is skipped, `no-address`.
  for (let n = 0; n < ROWS; n += 1) {
    const customer = await createCustomer(api, { name: `Kunde ${String(n).padStart(2, '0')} AS` });
    await createTask(api, customer.id, { title: `Oppgave ${String(n).padStart(2, '0')}`, deadline: '2027-03-10', notices: [emailNotice({ offset: 'P5D' })] });
    if (n % 5 === 0) expect((await api.patch(`/customers/${customer.id}`, { email: null, version: customer.version })).status).toBe(200);
  }
  clock.set('2027-03-05T08:00:30Z');
  await stack.runDue();
}, 120_000);
afterAll(() => stack.stop());

/** The first register page of all the firm's tasks, with the commands the API sent for it. */
async function page() {
  calls.length = 0;
  const res = await api.get(`/tasks?limit=${ROWS}`);
  expect(res.status).toBe(200);
  return { rows: res.body.items as { id: string; title: string; attention?: Record<string, unknown> }[], commands: calls.map((c) => c.command) };
}

const markedTitles = (rows: { title: string; attention?: unknown }[]) =>
  rows
    .filter((r) => r.attention)
    .map((r) => r.title)
    .sort();
const EXPECTED_MARKED = [
  'Oppgave 00',
  'Oppgave 05',
  'Oppgave 10',
  'Oppgave 15',
  'Oppgave 20',
  'Oppgave 25',
  'Oppgave 30',
  'Oppgave 35',
  'Oppgave 40',
  'Oppgave 45',
];

describe(`a register page of ${ROWS} tasks`, () => {
  it('costs its index query (keys only), a read by key of the tasks and one of their customers and marks: no query per row', async () => {
    const { rows, commands } = await page();

    expect(rows).toHaveLength(ROWS);
    expect(commands).toEqual(['QueryCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(markedTitles(rows)).toEqual(EXPECTED_MARKED);
  });

  it('read from the index of tasks with notices (keys only), costs the index query and two reads by key: the tasks, then their customers and marks', async () => {
    calls.length = 0;
    const res = await api.get(`/tasks?hasNotices=true&status=open&limit=${ROWS}`);

    expect(res.body.items).toHaveLength(ROWS);
    expect(calls.map((c) => c.command)).toEqual(['QueryCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']);
    expect(markedTitles(res.body.items)).toEqual(EXPECTED_MARKED);
  });

  it('shows on every row the mark the task page computes from the delivery records', async () => {
    const { rows } = await page();
    for (const row of rows.slice(0, 10)) expect(row.attention).toEqual((await api.get(`/tasks/${row.id}`)).body.attention);
    expect(rows.find((r) => r.title === 'Oppgave 00')!.attention).toEqual({
      channel: 'email',
      occurrenceAt: '2027-03-05T08:00:00Z',
      state: 'skipped',
      code: 'no-address',
      reason: 'no-address',
    });
  });
});

describe('the mark of one task', () => {
  /** A task of its own and a way to note outcomes on it as a delivery's writer would. */
  async function freshTask(title: string) {
    const customer = await createCustomer(api, { name: `${title} AS` });
    const task = await createTask(api, customer.id, { title, deadline: '2027-06-10', notices: [] });
    const note = (occurrenceAt: string, updatedAt: string, state: Outcome['state'], reason?: string) =>
      new AttentionMarks(table).note(TENANT, task.id, { channel: 'sms', occurrenceAt, updatedAt, state, ...(reason ? { reason } : {}) });
    const row = async () => (await api.get(`/tasks?customerId=${customer.id}`)).body.items[0];
    return { task, note, row };
  }

  it('keeps a newer failure when an older occurrence reports late, and a replay changes nothing', async () => {
    const { note, row } = await freshTask('Sen melding');
    expect(await note('2027-06-05T08:00:00Z', '2027-06-05T08:00:05.000Z', 'skipped', 'opted-out')).toBe(true);

    expect(await note('2027-06-01T08:00:00Z', '2027-06-05T09:00:00.000Z', 'sent')).toBe(false);
    expect(await note('2027-06-05T08:00:00Z', '2027-06-05T08:00:05.000Z', 'skipped', 'opted-out')).toBe(false);

    expect((await row()).attention).toMatchObject({ channel: 'sms', state: 'skipped', code: 'opted-out' });
  });

  it('is cleared by a later send on the same channel', async () => {
    const { note, row } = await freshTask('Ryddet melding');
    await note('2027-06-05T08:00:00Z', '2027-06-05T08:00:05.000Z', 'failed');
    await note('2027-06-08T08:00:00Z', '2027-06-08T08:00:05.000Z', 'sent');
    expect((await row()).attention).toBeUndefined();
  });

  it('of a task saved before marks existed is read from its delivery records, until the backfill builds it', async () => {
    const { rows } = await page();
    const legacy = rows.find((r) => r.title === 'Oppgave 10')!;
    await table.db.send(new DeleteCommand({ TableName: table.name, Key: { pk: `T#${TENANT}`, sk: `AM#${legacy.id}` } }));

    const before = await page();
    expect(markedTitles(before.rows)).toEqual(EXPECTED_MARKED);
    expect(before.commands).toEqual(['QueryCommand', 'BatchGetItemCommand', 'BatchGetItemCommand', 'QueryCommand']);

    const result = await backfillAttentionMarks(table.db, table.name);
    expect(result.tasks).toBeGreaterThanOrEqual(ROWS);
    const after = await page();
    expect(markedTitles(after.rows)).toEqual(EXPECTED_MARKED);
    expect(after.commands).toEqual(['QueryCommand', 'BatchGetItemCommand', 'BatchGetItemCommand']);
  });

  it('left behind by a dispatch that died after its record, is noted by the next copy of its message', async () => {
    const customer = await createCustomer(api, { name: 'Krasj AS' });
    const task = await createTask(api, customer.id, { title: 'Krasj', deadline: '2027-03-20', notices: [emailNotice({ offset: 'P1D' })] });
    const occurrenceAt = '2027-03-19T08:00:00Z';
    const id = deliveryId(task.id, task.notices[0]!.id, occurrenceAt, 'email');
    // The record as the dead attempt wrote it: final, failed; its note never came.
    const record: Delivery = {
      id,
      taskId: task.id,
      noticeId: task.notices[0]!.id,
      occurrenceAt,
      channel: 'email',
      state: 'failed',
      code: 'rejected',
      attempts: 1,
      updatedAt: '2027-03-19T08:00:02.000Z',
    };
    await table.db.send(new PutCommand({ TableName: table.name, Item: { pk: `T#${TENANT}`, sk: `D#${id}`, entity: 'delivery', ...record } }));
    const row = async () => (await api.get(`/tasks?customerId=${customer.id}`)).body.items[0];
    expect((await row()).attention).toBeUndefined();

    clock.set('2027-03-19T08:00:30Z');
    await stack.runDue();

    expect((await row()).attention).toMatchObject({ channel: 'email', state: 'failed', code: 'rejected' });
  });

  it('is no longer trusted when noting an outcome fails: the register reads that task’s delivery records', async () => {
    const { task, row } = await freshTask('Feil i merket');
    const failing = new (class extends AttentionMarks {
      override note(): Promise<boolean> {
        return Promise.reject(new Error('injected: the mark could not be written'));
      }
    })(table);
    const delivery: Delivery = {
      id: `${task.id}-n1-20270605T080000Z-sms`,
      taskId: task.id,
      noticeId: 'n1',
      occurrenceAt: '2027-06-05T08:00:00Z',
      channel: 'sms',
      state: 'skipped',
      reason: 'no-address',
      attempts: 0,
      updatedAt: '2027-06-05T08:00:01.000Z',
    };

    expect(await new DeliveryRecords(table, failing).recordSkip(TENANT, delivery, delivery.updatedAt)).toBe(true);

    expect((await row()).attention).toMatchObject({ channel: 'sms', state: 'skipped', code: 'no-address' });
  });
});
