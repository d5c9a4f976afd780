import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Log } from '../../shared/ports.ts';
import { damageStoredTask } from './damage-task.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type TestStack } from './harness.ts';

/**
 * One task item whose packed notices are cut short (a truncated binary value, as
 * test/attack14/corrupt-packed-notices.test.ts damages it) must break nothing but itself in the
 * API: GET /tasks/{id} answers a problem of its own type that names the task and nothing of
 * its content, logged with the firm and task for the operator; the register lists the other
 * tasks and names the damaged one in `unreadable`.
 */
const TENANT = 'firm-unreadable-task';
const logged: { message: string; extra: Record<string, unknown> }[] = [];
let stack: TestStack;

function recording(log: Log): Log {
  return {
    info: (message, ...extra) => log.info(message, ...extra),
    warn: (message, ...extra) => log.warn(message, ...extra),
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
const damage = (taskId: string) => damageStoredTask(stack.config, TENANT, taskId);

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

  // A change or a deletion reads the task first: the same answer, and the item stays for the operator.
  for (const [method, path] of [
    ['DELETE', `/tasks/${damaged}`],
    ['POST', `/tasks/${damaged}/complete`],
    ['GET', `/tasks/${damaged}/plan`],
  ] as const) {
    const refused = await api.call(method, path);
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
