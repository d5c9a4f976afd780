import { createServer, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsCall } from '../../shared/adapters/call-observer.ts';
import { INDEX_UPGRADE_STEPS } from '../../shared/adapters/table-layout.ts';
import { createTable } from '../../local/local-dynamodb.ts';
import { listen, LOOPBACK } from '../../local/listen.ts';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { createCustomer, createTask } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * A deployment upgraded from the layout whose register and due indexes held whole items
 * (gsi1, gsi2, gsi4) goes through table-layout.ts's upgrade steps, one index created or
 * deleted per deploy, with this version's code running all along. The table here is created
 * as a step leaves it; the lists and the reconciler answer the same at each.
 */
const clock = { now: () => new Date('2027-01-15T06:00:00Z') };

async function stackAtStep(step: number, calls: AwsCall[], backfilling: string[] = []): Promise<TestStack> {
  return startTestStack({
    clock,
    recordAwsCalls: (_fn, call) => void (call.command === 'QueryCommand' && calls.push(call)),
    // The local stack keeps a table that exists already: this one has the step's indexes.
    frontDynamoDb: async (endpoint) => {
      await createTable(endpoint, 'frist-local', 'eu-north-1', step);
      return backfilling.length ? backfillingFront(endpoint, backfilling) : endpoint;
    },
  });
}

/**
 * In front of the local DynamoDB, which has no backfilling: a Query of one of `indexes` is
 * answered as DynamoDB answers it while a new index is being filled, a 400 ValidationException
 * whose message does not name the index ("Cannot read from backfilling global secondary
 * index", as the SDKs report it); every other request goes through.
 */
async function backfillingFront(target: string, indexes: string[]): Promise<string> {
  const server = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const query = String(incoming.headers['x-amz-target']).endsWith('.Query') ? (JSON.parse(body.toString()) as { IndexName?: string }) : {};
      if (query.IndexName && indexes.includes(query.IndexName)) {
        answer.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        answer.end(JSON.stringify({ __type: 'com.amazon.coral.validate#ValidationException', message: 'Cannot read from backfilling global secondary index' }));
        return;
      }
      const forward = request(target, { method: incoming.method, path: incoming.url, headers: incoming.headers }, (reply) => {
        answer.writeHead(reply.statusCode ?? 500, reply.headers);
        reply.pipe(answer);
      });
      forward.end(body);
    });
  });
  server.unref();
  return `http://${LOOPBACK}:${await listen(server, 0)}`;
}

describe.each([
  { step: 0, reads: ['gsi1', 'gsi2', 'gsi4'], unread: [], about: 'before the first step: the new indexes are not there, their former ones answer' },
  {
    step: 1,
    backfilling: ['gsi8'],
    reads: ['gsi1', 'gsi2', 'gsi4'],
    unread: [],
    about: 'the first new index still being filled: DynamoDB refuses to read it, its former one answers',
  },
  {
    step: INDEX_UPGRADE_STEPS / 2,
    reads: ['gsi8', 'gsi9', 'gsi10'],
    unread: ['gsi1', 'gsi2', 'gsi4'],
    about: 'with both the new indexes and the former ones: the new ones answer',
  },
])('a table of upgrade step $step ($about)', ({ step, reads, unread, backfilling }) => {
  const calls: AwsCall[] = [];
  let stack: TestStack;
  let api: ApiClient;
  let customer: string;

  beforeAll(async () => {
    stack = await stackAtStep(step, calls, backfilling);
    api = await stack.as('firm-upgrade');
    customer = (await createCustomer(api, { name: 'Oppgradert AS' })).id;
    await createTask(api, customer, {
      title: 'Due today',
      deadline: '2027-01-15T10:00:00+01:00',
      notices: [{ when: 'before', offset: 'PT1H', channels: ['email'], subject: 'Snart', message: 'Snart.' }],
    });
    await createTask(api, customer, { title: 'Later', deadline: '2027-03-01' });
  }, 60_000);
  afterAll(() => stack.stop());

  const queried = () => calls.map((c) => String(c.input.IndexName));

  it("lists the register, a customer's tasks, a status and the customers in full", async () => {
    calls.length = 0;
    const titles = async (query: string) => (await api.get(`/tasks?${query}`)).body.items.map((t: { title: string }) => t.title);
    expect(await titles('limit=50')).toEqual(['Due today', 'Later']);
    expect(await titles(`customerId=${customer}`)).toEqual(['Due today', 'Later']);
    expect(await titles('status=open')).toEqual(['Due today', 'Later']);
    expect((await api.get('/customers')).body.items.map((c: { name: string }) => c.name)).toEqual(['Oppgradert AS']);
    expect(queried()).toEqual(expect.arrayContaining(reads.slice(0, 2)));
    for (const name of unread) expect(queried()).not.toContain(name);
  });

  it('lets the reconciler find the task due within its horizon, and run', async () => {
    calls.length = 0;
    const due = await stack.reconcilerPorts.store.queryDueTasks('2027-01-15', '2027-01-16');
    expect(due.map((entry) => [entry.dueAt, entry.task.version, entry.schedulesConfirmed])).toEqual([['2027-01-15T08:00:00Z', 1, 1]]);
    expect((await reconcileSchedules(stack.reconcilerPorts, { horizonHours: 3, graceMinutes: 15 })).failed).toBe(0);
    expect(queried()).toContain(reads[2]);
    for (const name of unread) expect(queried()).not.toContain(name);
  });
});
