import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/local-jwt.ts';
import { createCustomer, createTask, customerBody } from './fixtures.ts';
import { apiClient, startTestStack, type ApiClient, type TestStack } from './harness.ts';

let stack: TestStack;
let owner: ApiClient;
let intruder: ApiClient;
let customer: { id: string; version: number };
let task: { id: string; version: number; notices: { id: string }[] };

beforeAll(async () => {
  stack = await startTestStack();
  owner = await stack.as('firm-owner');
  intruder = await stack.as('firm-intruder');
  customer = await createCustomer(owner);
  task = await createTask(owner, customer.id);
});
afterAll(() => stack.stop());

describe('tenant isolation', () => {
  type Case = [method: string, path: string, body?: () => unknown];
  const cases: Case[] = [
    ['GET', '/customers/{customer}'],
    ['PUT', '/customers/{customer}', () => ({ ...customerBody(), version: customer.version })],
    ['DELETE', '/customers/{customer}'],
    ['GET', '/tasks/{task}'],
    ['PUT', '/tasks/{task}', () => ({ title: 'Stolen', customerId: customer.id, notices: [], version: task.version })],
    ['DELETE', '/tasks/{task}'],
    ['POST', '/tasks/{task}/complete'],
    ['POST', '/tasks/{task}/reopen'],
    ['GET', '/tasks/{task}/plan'],
    ['POST', '/notices/preview', () => ({ taskId: task.id, channel: 'sms', message: '{{customer.name}}' })],
  ];

  it.each(cases)("%s %s with another firm's id is 404 and reveals nothing", async (method, template, body) => {
    const path = template.replace('{customer}', customer.id).replace('{task}', task.id);
    const res = await intruder.call(method, path, body?.());
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('Fjord');
  });

  it("cannot hang a task on another firm's customer", async () => {
    const res = await intruder.post('/tasks', { title: 'x', customerId: customer.id });
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'customerId', rule: 'exists' });
  });

  it("sees none of another firm's customers or tasks in lists", async () => {
    expect((await intruder.get('/customers')).body.items).toEqual([]);
    expect((await intruder.get('/tasks')).body.items).toEqual([]);
    expect((await intruder.get(`/tasks?customerId=${customer.id}`)).body.items).toEqual([]);
  });

  it("cannot page with a cursor made from another firm's keys", async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'T#firm-owner', sk: 'C#0' })).toString('base64url');
    const res = await intruder.get(`/customers?cursor=${forged}`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'cursor', rule: 'cursor' });
  });

  it("leaves the owner's data untouched after every attempt", async () => {
    expect((await owner.get(`/customers/${customer.id}`)).body).toMatchObject({ name: 'Fjord Bakeri AS', version: 1 });
    expect((await owner.get(`/tasks/${task.id}`)).body).toMatchObject({ status: 'open', version: 1 });
  });

  it('keeps settings apart', async () => {
    await owner.put('/settings', { firm: { name: 'Eier AS' }, version: 0 });
    expect((await intruder.get('/settings')).body).toMatchObject({ version: 0, firm: {} });
  });
});

describe('authentication', () => {
  it('serves /health and /openapi.json without a token', async () => {
    expect((await stack.anonymous.get('/health')).status).toBe(200);
    expect((await stack.anonymous.get('/openapi.json')).status).toBe(200);
  });

  it('refuses every other route without a token, as the authorizer does', async () => {
    for (const path of ['/settings', '/customers', '/tasks', '/merge-codes']) {
      const res = await stack.anonymous.get(path);
      expect(res.status).toBe(401);
    }
  });

  it("answers a missing or bad token with the authorizer's own body, type and challenge", async () => {
    const missing = await fetch(`${stack.apiUrl}/customers`);
    const bad = await fetch(`${stack.apiUrl}/customers`, { headers: { authorization: 'Bearer not.a.token' } });
    for (const res of [missing, bad]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.text()).toBe('{"message":"Unauthorized"}');
    }
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(bad.headers.get('www-authenticate')).toBe('Bearer scope="" error="invalid_token"');
  });

  it('answers an Authorization header without the Bearer scheme as a refused token, not as a missing one', async () => {
    const res = await fetch(`${stack.apiUrl}/customers`, { headers: { authorization: 'abc' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer scope="" error="invalid_token"');
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ tenant_id: 'firm-owner' })
      .setProtectedHeader({ alg: 'RS256', kid: 'local' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await apiClient(stack.apiUrl, token).get('/customers')).status).toBe(401);
  });

  it('refuses an expired token', async () => {
    const token = await stack.jwt.sign({ tenant_id: 'firm-owner' }, '-1m');
    expect((await apiClient(stack.apiUrl, token).get('/customers')).status).toBe(401);
  });

  it('refuses a valid token without a usable tenant claim', async () => {
    for (const claims of [{ sub: 'someone' }, { tenant_id: 'T#firm-owner' }] as Record<string, string>[]) {
      const res = await apiClient(stack.apiUrl, await stack.jwt.sign(claims)).get('/customers');
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('takes the tenant from the token, never from the request', async () => {
    const res = await intruder.call('GET', '/customers?tenantId=firm-owner', undefined, { 'x-tenant-id': 'firm-owner' });
    expect(res.status).toBe(422);
    const plain = await intruder.call('GET', '/customers', undefined, { 'x-tenant-id': 'firm-owner' });
    expect(plain.body.items).toEqual([]);
  });
});

describe('notices on a task of the firm', () => {
  it('previews a saved notice for the task', async () => {
    const res = await owner.post('/notices/preview', { taskId: task.id, noticeId: task.notices[0]!.id, channel: 'email' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subject: 'Frist 10.02.2030', text: 'Hei Fjord Bakeri AS, husk MVA-melding.' });
  });

  it('answers 404 for a notice id the task does not have', async () => {
    const res = await owner.post('/notices/preview', { taskId: task.id, noticeId: 'nosuchnotice', channel: 'sms' });
    expect(res.status).toBe(404);
  });
});
