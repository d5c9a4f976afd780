import { afterAll, beforeAll, expect, it } from 'vitest';
import { deliveryId, type Delivery } from '../../shared/domain/delivery.ts';
import type { Log } from '../../shared/ports.ts';
import { damageStoredTask } from './damage-task.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type TestStack } from './harness.ts';

/**
 * One task item whose packed notices are cut short (a truncated binary value, as
 * test/attack14/corrupt-packed-notices.test.ts damages it) must break nothing but itself in the
 * API: GET /tasks/{id} answers a problem of its own type that names the task and nothing of
 * its content, logged with the firm and task for the operator; the register lists the other
 * tasks and names the damaged one in `unreadable`. DELETE /tasks/{id} still deletes it, with
 * its schedules and its hold on the customer, from what of the item still reads.
 */
const TENANT = 'firm-unreadable-task';
const logged: { message: string; extra: Record<string, unknown> }[] = [];
const warned: { message: string; extra: Record<string, unknown> }[] = [];
let stack: TestStack;

function recording(log: Log): Log {
  return {
    debug: (message, ...extra) => log.debug(message, ...extra),
    info: (message, ...extra) => log.info(message, ...extra),
    warn: (message, ...extra) => {
      warned.push({ message, extra: Object.assign({}, ...extra) });
      log.warn(message, ...extra);
    },
    error: (message, ...extra) => {
      logged.push({ message, extra: Object.assign({}, ...extra) });
      log.error(message, ...extra);
    },
  };
}

beforeAll(async () => {
  stack = await startTestStack({ wrapPorts: (ports) => ({ ...ports, log: recording(ports.log) }) });
}, 60_000);
afterAll(() => stack.stop());

/** Damages the task's stored item (see damage-task.ts). */
const damage = (taskId: string, tenantId = TENANT) => damageStoredTask(stack.config, tenantId, taskId);

it('answers GET /tasks/{id} of a damaged task with its own problem, and lists the firm’s other tasks with its id as unreadable', async () => {
  const api = await stack.as(TENANT);
  const customer = await createCustomer(api, { name: 'Kari Nordmann', email: 'kari@kunde.example' });
  const tasks = [];
  for (let i = 0; i < 4; i += 1)
    tasks.push(await createTask(api, customer.id, { title: `Frist ${i}`, deadline: `2030-03-1${i}`, notices: [emailNotice({ subject: 'Hemmelig emne' })] }));
  const damaged = tasks[1]!.id;
  await damage(damaged);

  const read = await api.get(`/tasks/${damaged}`);
  expect(read.status).toBe(500);
  expect(read.headers.get('content-type')).toBe('application/problem+json');
  expect(read.body).toMatchObject({
    type: 'https://frist.dev/problems/stored-task-unreadable',
    title: 'Stored task cannot be read',
    status: 500,
    instance: `/tasks/${damaged}`,
  });
  expect(read.body.detail).toContain(damaged);
  // Nothing of the task, its customer or the library's words.
  const body = JSON.stringify(read.body);
  for (const secret of ['Frist 1', 'Kari', 'kari@kunde.example', 'Hemmelig', customer.id, 'zlib', 'end of file', 'Error:']) expect(body).not.toContain(secret);
  expect(logged).toContainEqual({
    message: 'stored task cannot be read',
    extra: { tenantId: TENANT, taskId: damaged, error: expect.stringContaining('Error') },
  });

  // A change reads the task first (a save keeps its notices' ids and schedules): the same
  // answer, and the item stays for the operator, or for a deletion (below).
  const save = { title: 'Ny', customerId: customer.id, deadline: '2030-03-11', notices: [], version: 1 };
  for (const [method, path, body] of [
    ['PUT', `/tasks/${damaged}`, save],
    ['POST', `/tasks/${damaged}/complete`, undefined],
    ['GET', `/tasks/${damaged}/plan`, undefined],
  ] as const) {
    const refused = await api.call(method, path, body);
    expect({ method, path, status: refused.status, type: refused.body.type }).toEqual({
      method,
      path,
      status: 500,
      type: 'https://frist.dev/problems/stored-task-unreadable',
    });
  }

  // The other tasks still read one by one.
  for (const task of tasks.filter((t) => t.id !== damaged)) expect((await api.get(`/tasks/${task.id}`)).status).toBe(200);

  // The register: the others listed, the damaged one named by id, each time it is met.
  logged.length = 0;
  const register = await api.get('/tasks?limit=10');
  expect(register.status).toBe(200);
  expect(register.body.items.map((t: { id: string }) => t.id).sort()).toEqual(
    tasks
      .map((t) => t.id)
      .filter((id) => id !== damaged)
      .sort(),
  );
  expect(register.body.unreadable).toEqual([{ id: damaged }]);
  expect(logged).toEqual([{ message: 'stored task cannot be read', extra: { tenantId: TENANT, taskId: damaged, error: expect.any(String) } }]);

  // The store says where it stood among the page's rows: a page cut short for size names it only if it comes before the cut.
  const stored = await stack.ports.store.queryTasks(TENANT, { limit: 10 });
  expect(stored.unreadable.map((u) => [u.error.taskId, u.after])).toEqual([[damaged, 1]]);

  // Paged two at a time, every task is met once, as listed or as unreadable.
  const met: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get(`/tasks?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    met.push(...page.body.items.map((t: { id: string }) => t.id), ...(page.body.unreadable ?? []).map((u: { id: string }) => u.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(met.sort()).toEqual(tasks.map((t) => t.id).sort());

  // A register without a damaged task says nothing of it.
  const filtered = await api.get(`/tasks?customerId=${customer.id}&deadlineFrom=2030-03-12`);
  expect(filtered.status).toBe(200);
  expect(filtered.body).not.toHaveProperty('unreadable');
}, 60_000);

it('deletes a damaged task through DELETE /tasks/{id}: its schedules, its hold on the customer, its pending sends settled; nothing else', async () => {
  const tenant = 'firm-damaged-delete';
  const api = await stack.as(tenant);
  const customer = await createCustomer(api, { name: 'Ola Nordmann', email: 'ola@kunde.example' });
  const keptCustomer = await createCustomer(api, { name: 'Kari Nordmann', email: 'kari@kunde.example' });
  const notices = [emailNotice({ offset: 'P7D' }), emailNotice({ offset: 'P3D' })];
  const task = await createTask(api, customer.id, { deadline: '2030-05-20', notices });
  const kept = await createTask(api, keptCustomer.id, { deadline: '2030-05-21', notices });
  const keptSchedules = stack.schedulesOf(tenant, kept.id).map((s) => s.Name);
  expect(stack.schedulesOf(tenant, task.id)).toHaveLength(2);

  // One send under way (a live claim) and one whose attempt died (its claim ran out).
  const store = stack.ports.store;
  const [live, dead] = (await store.getTask(tenant, task.id))!.plan.occurrences;
  const now = new Date();
  const claim = (o: typeof live, until: number): Delivery => ({
    id: deliveryId(task.id, o!.noticeId, o!.at, 'email'),
    taskId: task.id,
    noticeId: o!.noticeId,
    customerId: customer.id,
    occurrenceAt: o!.at,
    channel: 'email',
    state: 'claimed',
    attempts: 0,
    updatedAt: now.toISOString(),
    claimToken: `attempt-${until}`,
    claimedUntil: new Date(now.getTime() + until).toISOString(),
  });
  expect(await store.claimDelivery(tenant, claim(live, 600_000), now.toISOString())).toBeDefined();
  expect(await store.claimDelivery(tenant, claim(dead, -1_000), now.toISOString())).toBeDefined();
  await damage(task.id, tenant);
  expect((await api.get(`/tasks/${task.id}`)).status).toBe(500);

  warned.length = 0;
  const deleted = await api.delete(`/tasks/${task.id}`);
  expect(deleted.status).toBe(200);
  expect(deleted.body).toEqual({
    id: task.id,
    inFlight: [{ deliveryId: claim(live, 0).id, noticeId: live!.noticeId, occurrenceAt: live!.at, channel: 'email', claimedUntil: expect.any(String) }],
  });
  expect(warned).toContainEqual({ message: 'damaged task deleted', extra: { tenantId: tenant, taskId: task.id } });

  // Gone, with its schedules; the attempt that died ends skipped, the live one is left to finish.
  expect((await api.get(`/tasks/${task.id}`)).status).toBe(404);
  expect(stack.schedulesOf(tenant, task.id)).toEqual([]);
  const records = new Map((await store.listDeliveries(tenant, task.id)).map((d) => [d.occurrenceAt, d]));
  expect(records.get(dead!.at)).toMatchObject({ state: 'skipped', reason: 'task-deleted' });
  expect(records.get(live!.at)).toMatchObject({ state: 'claimed' });

  // The register no longer names it; the other task and its schedules are as they were.
  const register = await api.get('/tasks?limit=10');
  expect(register.body.items.map((t: { id: string }) => t.id)).toEqual([kept.id]);
  expect(register.body).not.toHaveProperty('unreadable');
  expect(stack.schedulesOf(tenant, kept.id).map((s) => s.Name)).toEqual(keptSchedules);
  expect((await api.get(`/tasks/${kept.id}`)).body).toMatchObject({ version: kept.version, notices: kept.notices });

  // Its customer is let go (it held no other task): deleted at once. A retry of the delete finds nothing.
  expect((await api.delete(`/customers/${customer.id}`)).status).toBe(204);
  expect((await api.delete(`/tasks/${task.id}`)).status).toBe(404);
}, 60_000);
