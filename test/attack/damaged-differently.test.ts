import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKED_NOTICES } from '../../shared/adapters/dynamodb-packed-notices.ts';
import { damageStoredTask, type Damage } from '../integration/damage-task.ts';
import { createCustomer, createTask, emailNotice } from '../integration/fixtures.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

/**
 * ATTACK: a task item damaged otherwise than by truncated DEFLATE: the notices' attribute
 * missing, of another type, or packed JSON that is not a list of notices. Each must read as
 * the truncated one does: GET answers the task's own problem (500 stored-task-unreadable),
 * the register lists the firm's other tasks and names it in `unreadable`, and DELETE removes
 * it with its schedules and its hold on the customer.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);
afterAll(() => stack.stop());

const without =
  (name: string): Damage =>
  (item) =>
    Object.fromEntries(Object.entries(item).filter(([key]) => key !== name));
const packedJson =
  (json: string): Damage =>
  (item) => ({ ...item, [PACKED_NOTICES]: deflateRawSync(json) });

const DAMAGES: [string, Damage][] = [
  ['the packed notices missing', without(PACKED_NOTICES)],
  ['the packed notices a string', (item) => ({ ...item, [PACKED_NOTICES]: 'not binary' })],
  ['packed JSON that is an object', packedJson('{"notices":[]}')],
  ['packed JSON that is null', packedJson('null')],
  ['packed JSON that is not JSON', packedJson('[{"id":')],
  ['notices kept as a list (the old form) that is a string', (item) => ({ ...without(PACKED_NOTICES)(item), notices: 'oops' })],
];

describe.each(DAMAGES)('a task with %s', (label, damage) => {
  it('is unreadable on its own, named in the register, and deletable', async () => {
    const tenant = `firm-damaged-${DAMAGES.findIndex(([l]) => l === label)}`;
    const api = await stack.as(tenant);
    const customer = await createCustomer(api, { name: 'Kari Nordmann', email: 'kari@kunde.example' });
    const kept = await createTask(api, customer.id, { deadline: '2030-03-10', notices: [emailNotice()] });
    const task = await createTask(api, customer.id, { deadline: '2030-03-11', notices: [emailNotice(), emailNotice({ offset: 'P7D' })] });
    expect(stack.schedulesOf(tenant, task.id)).toHaveLength(2);
    await damageStoredTask(stack.config, tenant, task.id, damage);

    const read = await api.get(`/tasks/${task.id}`);
    expect({ status: read.status, type: read.body.type }).toEqual({ status: 500, type: 'https://frist.dev/problems/stored-task-unreadable' });
    const register = await api.get('/tasks?limit=10');
    expect(register.status).toBe(200);
    expect(register.body.items.map((t: { id: string }) => t.id)).toEqual([kept.id]);
    expect(register.body.unreadable).toEqual([{ id: task.id }]);

    const deleted = await api.delete(`/tasks/${task.id}`);
    expect(deleted.status).toBe(200);
    expect((await api.get(`/tasks/${task.id}`)).status).toBe(404);
    expect(stack.schedulesOf(tenant, task.id)).toEqual([]);
    // Its hold on the customer let go: the customer still holds the kept task only.
    expect((await api.delete(`/tasks/${kept.id}`)).status).toBe(200);
    expect((await api.delete(`/customers/${customer.id}`)).status).toBe(204);
  }, 60_000);
});
