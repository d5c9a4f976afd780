import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, customerBody, emailNotice, fieldRules } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-idempotent';
let stack: TestStack;
let api: ApiClient;

const withKey = (key: string, path: string, body: unknown) => api.call('POST', path, body, { 'idempotency-key': key });

beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as(TENANT);
});
afterAll(() => stack.stop());

describe('Idempotency-Key on creates', () => {
  it('answers a retried customer create with the customer the first attempt made', async () => {
    const first = await withKey('cust-1', '/customers', customerBody({ name: 'Én gang AS' }));
    const retry = await withKey('cust-1', '/customers', customerBody({ name: 'Én gang AS' }));
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(first.body.idempotency).toBeUndefined();
    const named = (await api.get('/customers?limit=100')).body.items.filter((c: { name: string }) => c.name === 'Én gang AS');
    expect(named).toHaveLength(1);
  });

  it('makes one customer of five concurrent attempts with one key', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => withKey('cust-race', '/customers', customerBody({ name: 'Kappløp AS' }))));
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  });

  it('refuses a key reused for a different request with 409', async () => {
    await withKey('cust-2', '/customers', customerBody({ name: 'Første' }));
    const reused = await withKey('cust-2', '/customers', customerBody({ name: 'Andre' }));
    expect(reused.status).toBe(409);
    expect(reused.body.detail).toMatch(/Idempotency-Key cust-2 was used for a different request/);
  });

  it('refuses a malformed key', async () => {
    const res = await withKey('no spaces please', '/customers', customerBody());
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['Idempotency-Key pattern']);
  });

  it('keeps the keys of different firms apart', async () => {
    const other = await stack.as('firm-idempotent-other');
    const mine = await withKey('shared-key', '/customers', customerBody());
    const theirs = await other.call('POST', '/customers', customerBody(), { 'idempotency-key': 'shared-key' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('answers a retried task create with the first task, scheduling its notices once', async () => {
    const customer = await createCustomer(api);
    const body = { title: 'Én oppgave', customerId: customer.id, deadline: '2030-02-10', notices: [emailNotice()] };
    const first = await withKey('task-1', '/tasks', body);
    const retry = await withKey('task-1', '/tasks', body);
    expect(first.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.notices).toEqual(first.body.notices);
    expect(stack.schedulesOf(TENANT, first.body.id)).toHaveLength(1);
    expect((await api.get(`/tasks?customerId=${customer.id}`)).body.items).toHaveLength(1);
  });
});
