import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ports } from '../../shared/ports.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';
import { addHook, startAttackStack, TENANT, type AttackStack } from '../attack/attack-stack.ts';

/**
 * The customer's count of tasks (shared/use-cases/customer-holds.ts), which makes
 * DELETE /customers/{id} safe against a task saved at the same moment (customer-delete-race.test.ts).
 * Promise: the count is never too low (a task never loses its customer); a count too high
 * (a save cut short) blocks the delete for HOLD_AGE_GUARD_MS at the most; a delete after the
 * last task is gone is answered at once.
 */

let stack: AttackStack;
beforeAll(async () => {
  stack = await startAttackStack();
});
afterAll(() => stack.stop());

const TEN_MINUTES = 10 * 60_000;
const newCustomer = async () => (await createCustomer(stack.api, { name: 'Holmen Regnskap AS' })).id;
const holds = async (customerId: string) => (await stack.ports.store.getCustomerHolds(TENANT, customerId))?.count;
const deleteCustomer = (customerId: string) => stack.api.delete(`/customers/${customerId}`);
const withKey = (key: string, body: unknown) => stack.api.call('POST', '/tasks', body, { 'idempotency-key': key });

describe('a task holds its customer', () => {
  it('a customer whose last task was deleted is deleted at once', async () => {
    const customerId = await newCustomer();
    const task = await createTask(stack.api, customerId);
    expect(await holds(customerId)).toBe(1);
    expect((await deleteCustomer(customerId)).status).toBe(409);

    expect((await stack.api.delete(`/tasks/${task.id}`)).status).toBe(200);
    expect(await holds(customerId)).toBe(0);
    expect((await deleteCustomer(customerId)).status).toBe(204);
  });

  it('of two racing deletes of a task, only the one that removed it lets the customer go', async () => {
    const customerId = await newCustomer();
    const [first, second] = [await createTask(stack.api, customerId), await createTask(stack.api, customerId)];
    // The second DELETE runs in full between the first's read and its delete.
    let inner = 0;
    addHook(stack.apiHooks, 'deleteTask', async () => (inner = (await stack.api.delete(`/tasks/${first.id}`)).status));
    const outer = await stack.api.delete(`/tasks/${first.id}`);

    expect([inner, outer.status]).toEqual([200, 200]);
    expect(await holds(customerId)).toBe(1);
    expect((await deleteCustomer(customerId)).status).toBe(409);
    await stack.api.delete(`/tasks/${second.id}`);
    expect((await deleteCustomer(customerId)).status).toBe(204);
  });

  it('a task moved to another customer holds the new one and lets the old one go', async () => {
    const [from, to] = [await newCustomer(), await newCustomer()];
    const task = await createTask(stack.api, from);

    const moved = await stack.api.patch(`/tasks/${task.id}`, { customerId: to, version: task.version });
    expect(moved.status).toBe(200);
    expect([await holds(from), await holds(to)]).toEqual([0, 1]);
    expect((await deleteCustomer(from)).status).toBe(204);
    expect((await deleteCustomer(to)).status).toBe(409);
  });

  it('a move to a customer deleted meanwhile is 422 exists, and the task stays where it was', async () => {
    const [from, to] = [await newCustomer(), await newCustomer()];
    const task = await createTask(stack.api, from);
    // The move has read its new customer; the customer is deleted before the hold.
    addHook(stack.apiHooks, 'holdCustomer', async () => expect((await deleteCustomer(to)).status).toBe(204));

    const moved = await stack.api.patch(`/tasks/${task.id}`, { customerId: to, version: task.version });
    expect(moved.status).toBe(422);
    expect(moved.body.errors).toEqual([expect.objectContaining({ field: 'customerId', rule: 'exists' })]);
    expect((await stack.api.get(`/tasks/${task.id}`)).body).toMatchObject({ customerId: from, version: task.version });
    expect(await holds(from)).toBe(1);
  });

  it('an edit of the customer keeps its count, and the customer shows none of it', async () => {
    const customerId = await newCustomer();
    await createTask(stack.api, customerId);
    const customer = (await stack.api.get(`/customers/${customerId}`)).body;

    const edited = await stack.api.patch(`/customers/${customerId}`, { name: 'Holmen Regnskap og Revisjon AS', mobile: null, version: customer.version });
    expect(edited.status).toBe(200);
    expect(Object.keys(edited.body).filter((name) => name.startsWith('taskRefs'))).toEqual([]);
    expect((await stack.api.get(`/customers/${customerId}`)).body).not.toHaveProperty('mobile');
    expect(await holds(customerId)).toBe(1);
    expect((await deleteCustomer(customerId)).status).toBe(409);
  });
});

describe('an Idempotency-Key retry of POST /tasks counts the task once', () => {
  const body = (customerId: string) => ({ title: 'Skattemelding', customerId, deadline: '2030-04-30', notices: [emailNotice()] });

  it('a retry after the first answer', async () => {
    const customerId = await newCustomer();
    const first = await withKey('holds-retry-1', body(customerId));
    const retry = await withKey('holds-retry-1', body(customerId));
    expect([first.status, retry.status, retry.body.id]).toEqual([201, 201, first.body.id]);
    expect(await holds(customerId)).toBe(1);

    await stack.api.delete(`/tasks/${first.body.id}`);
    expect((await deleteCustomer(customerId)).status).toBe(204);
  });

  it('two attempts at the same time', async () => {
    const customerId = await newCustomer();
    const answers = await Promise.all([withKey('holds-retry-2', body(customerId)), withKey('holds-retry-2', body(customerId))]);
    expect(answers.map((a) => a.status)).toEqual([201, 201]);
    expect(await holds(customerId)).toBe(1);
  });
});

describe('a save refused after its hold lets the customer go', () => {
  it('a move that loses its write to a concurrent edit (409)', async () => {
    const [from, to] = [await newCustomer(), await newCustomer()];
    const task = await createTask(stack.api, from);
    // An edit of the title lands between the move's hold and its write.
    addHook(stack.apiHooks, 'putTask', () => stack.api.patch(`/tasks/${task.id}`, { title: 'Endret', version: task.version }));

    const moved = await stack.api.patch(`/tasks/${task.id}`, { customerId: to, version: task.version });
    expect(moved.status).toBe(409);
    expect([await holds(from), await holds(to)]).toEqual([1, 0]);
    expect((await deleteCustomer(to)).status).toBe(204);
  });

  it('a create whose schedules the Scheduler refuses (503)', async () => {
    const customerId = await newCustomer();
    stack.schedulerFaults!.failNext(500, 'InternalServerException', 10);
    const created = await stack.api.post('/tasks', { title: 'A-melding', customerId, deadline: '2030-02-10', notices: [emailNotice()] });
    stack.schedulerFaults!.clear();

    expect(created.status).toBe(503);
    expect(await holds(customerId)).toBe(0);
    expect((await deleteCustomer(customerId)).status).toBe(204);
  });

  it("the SDK's retry of a hold whose answer was lost counts it once", async () => {
    const customerId = await newCustomer();
    addHook(stack.apiHooks, 'holdCustomer', () => stack.dynamodbFaults!.loseResponseNext(1));
    const task = await createTask(stack.api, customerId);
    expect(await holds(customerId)).toBe(1);

    await stack.api.delete(`/tasks/${task.id}`);
    expect((await deleteCustomer(customerId)).status).toBe(204);
  });
});

describe('a hold left by a save cut short', () => {
  it('blocks the delete with a 409 that says when to retry, until the count has stood still for 10 minutes', async () => {
    const customerId = await newCustomer();
    // The task's write goes out and fails on every try: it may have been carried out, so the hold stays.
    addHook(stack.apiHooks, 'putTask', () => stack.dynamodbFaults!.failNext(500, 'InternalServerError', 10));
    const created = await stack.api.post('/tasks', { title: 'Årsregnskap', customerId, deadline: '2030-02-10', notices: [emailNotice()] });
    stack.dynamodbFaults!.clear();
    expect(created.status).toBe(503);
    expect((await stack.api.get(`/tasks?customerId=${customerId}`)).body.items).toEqual([]);
    expect(await holds(customerId)).toBe(1);

    const early = await deleteCustomer(customerId);
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/if that lists no task, a save was cut short: retry in 10 minutes$/);
    stack.clock.advance(TEN_MINUTES - 1_000);
    expect((await deleteCustomer(customerId)).body.detail).toMatch(/retry in 1 minute$/);

    stack.clock.advance(1_000);
    expect((await deleteCustomer(customerId)).status).toBe(204);
  });

  it('a move whose release of the old customer fails answers 200; the old customer is deleted after the age guard', async () => {
    const [from, to] = [await newCustomer(), await newCustomer()];
    const task = await createTask(stack.api, from);
    addHook(stack.apiHooks, 'releaseCustomer', () => stack.dynamodbFaults!.failNext(500, 'InternalServerError', 10));
    const moved = await stack.api.patch(`/tasks/${task.id}`, { customerId: to, version: task.version });
    stack.dynamodbFaults!.clear();
    expect(moved.status).toBe(200);
    expect([await holds(from), await holds(to)]).toEqual([1, 1]);

    expect((await deleteCustomer(from)).status).toBe(409);
    stack.clock.advance(TEN_MINUTES);
    expect((await deleteCustomer(from)).status).toBe(204);
    expect((await deleteCustomer(to)).status).toBe(409);
  });

  it('a task saved after the leftover hold makes the healing delete 409', async () => {
    const customerId = await newCustomer();
    addHook(stack.apiHooks, 'putTask', () => stack.dynamodbFaults!.failNext(500, 'InternalServerError', 10));
    await stack.api.post('/tasks', { title: 'Tapt', customerId, deadline: '2030-02-10' });
    stack.dynamodbFaults!.clear();
    stack.clock.advance(TEN_MINUTES);
    // The delete has read the old count and found no task in the index; a create lands now.
    addHook(stack.apiHooks, 'deleteCustomer', () => createTask(stack.api, customerId));

    expect((await deleteCustomer(customerId)).status).toBe(409);
    expect(await holds(customerId)).toBe(2);
  });
});

describe('tasks saved before the count existed', () => {
  it('still block the delete (the index finds them), and a move of one lets no other hold go', async () => {
    const [from, to] = [await newCustomer(), await newCustomer()];
    const counted = await createTask(stack.api, from);
    const old = await createTask(stack.api, from);
    // `old` as a save before the count would have left it: no holdsCustomer, not counted.
    const stored = (await stack.ports.store.getTask(TENANT, old.id))!;
    const { holdsCustomer: _holds, ...legacy } = stored;
    await stack.ports.store.putTask(TENANT, { ...legacy, version: stored.version + 1 }, stored.version);
    await stack.ports.store.releaseCustomer(TENANT, from, stack.clock.now().toISOString());
    await stack.api.delete(`/tasks/${counted.id}`);
    expect(await holds(from)).toBe(0);
    expect((await deleteCustomer(from)).status).toBe(409);

    await createTask(stack.api, from);
    const moved = await stack.api.patch(`/tasks/${old.id}`, { customerId: to, version: stored.version + 1 });
    expect(moved.status).toBe(200);
    expect([await holds(from), await holds(to)]).toEqual([1, 1]);
  });
});

describe('on AWS the byCustomer index lags behind the table', () => {
  let lagging: TestStack;
  let api: ApiClient;
  beforeAll(async () => {
    // An index that has not caught up: it never shows a task.
    const lag = (ports: Ports): Ports => ({
      ...ports,
      store: Object.assign(Object.create(ports.store) as Ports['store'], { customerHasTasks: async () => false }),
    });
    lagging = await startTestStack({ wrapPorts: lag });
    api = await lagging.as('firm-lagging-index');
  });
  afterAll(() => lagging.stop());

  it('a task saved a moment ago still blocks its customer’s delete, which says what to do', async () => {
    const customerId = (await createCustomer(api)).id;
    const task = await createTask(api, customerId);

    const refused = await api.delete(`/customers/${customerId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`delete it or move it to another customer first (GET /tasks?customerId=${customerId})`);
    await api.delete(`/tasks/${task.id}`);
    expect((await api.delete(`/customers/${customerId}`)).status).toBe(204);
  });
});
