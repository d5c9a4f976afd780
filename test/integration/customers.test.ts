import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createTask, customerBody, fieldRules } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

let stack: TestStack;
let api: ApiClient;
beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-customers');
});
afterAll(() => stack.stop());

describe('customers', () => {
  it('registers a customer with the mobile number in E.164 and both channels opted in', async () => {
    const res = await api.post('/customers', customerBody({ mobile: '912 34 567' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Fjord Bakeri AS', mobile: '+4791234567', optIn: { email: true, sms: true }, version: 1 });
    expect(res.body.id).toMatch(/^[0-9a-z]{16}$/);
  });

  it('reads, replaces and deletes a customer', async () => {
    const customer = await createCustomer(api);
    expect((await api.get(`/customers/${customer.id}`)).body).toEqual(customer);

    const updated = await api.put(`/customers/${customer.id}`, {
      name: 'Fjord Bakeri og Kafé AS',
      email: 'kafe@fjord.example',
      optIn: { email: true, sms: false },
      version: customer.version,
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Fjord Bakeri og Kafé AS', version: 2, optIn: { sms: false } });
    expect(updated.body.mobile).toBeUndefined();

    expect((await api.delete(`/customers/${customer.id}`)).status).toBe(204);
    expect((await api.get(`/customers/${customer.id}`)).status).toBe(404);
  });

  it('pages through the customer list with a cursor', async () => {
    const own = await stack.as('firm-customer-pages');
    for (let i = 0; i < 5; i += 1) await createCustomer(own, { name: `Kunde ${i}` });
    const first = await own.get('/customers?limit=3');
    expect(first.body.items).toHaveLength(3);
    const second = await own.get(`/customers?limit=3&cursor=${first.body.nextCursor}`);
    const names = [...first.body.items, ...second.body.items].map((c: { name: string }) => c.name).sort();
    expect(names).toEqual(['Kunde 0', 'Kunde 1', 'Kunde 2', 'Kunde 3', 'Kunde 4']);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('lists customers alphabetically, case-insensitively, and narrows by the start of the name', async () => {
    const own = await stack.as('firm-customer-names');
    for (const name of ['bølgen AS', 'Fjord Bakeri', 'Aasen Regnskap', 'fjellet Hytter']) await createCustomer(own, { name });
    const names = async (query: string) => (await own.get(`/customers${query}`)).body.items.map((c: { name: string }) => c.name);
    expect(await names('')).toEqual(['Aasen Regnskap', 'bølgen AS', 'fjellet Hytter', 'Fjord Bakeri']);
    expect(await names('?namePrefix=FJ')).toEqual(['fjellet Hytter', 'Fjord Bakeri']);
    expect(await names('?namePrefix=x')).toEqual([]);
    // A renamed customer moves in the list.
    const [first] = (await own.get('/customers?namePrefix=aasen')).body.items;
    await own.put(`/customers/${first.id}`, { ...customerBody(), name: 'Ås Regnskap', version: first.version });
    expect(await names('?namePrefix=%C3%A5s')).toEqual(['Ås Regnskap']);
  });

  it('refuses a stale update with 409 and keeps the stored customer', async () => {
    const customer = await createCustomer(api);
    await api.put(`/customers/${customer.id}`, { ...customerBody({ name: 'First' }), version: 1 });
    const stale = await api.put(`/customers/${customer.id}`, { ...customerBody({ name: 'Second' }), version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toBe('application/problem+json');
    expect((await api.get(`/customers/${customer.id}`)).body.name).toBe('First');
  });

  it('lets exactly one of two concurrent updates of the same version win', async () => {
    const customer = await createCustomer(api);
    const results = await Promise.all(['A', 'B', 'C', 'D'].map((name) => api.put(`/customers/${customer.id}`, { ...customerBody({ name }), version: 1 })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = results.find((r) => r.status === 200)!.body.name;
    expect((await api.get(`/customers/${customer.id}`)).body).toMatchObject({ name: winner, version: 2 });
  });

  it('refuses to delete a customer that has tasks', async () => {
    const customer = await createCustomer(api);
    await createTask(api, customer.id);
    const res = await api.delete(`/customers/${customer.id}`);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/has tasks/);
  });

  it.each([
    [{ email: 'not-an-address' }, 'email email'],
    [{ mobile: '22334455' }, 'mobile mobile-number'],
    [{ mobile: '123' }, 'mobile mobile-number'],
    [{ name: '' }, 'name min-length'],
    [{ name: 'x'.repeat(201) }, 'name max-length'],
    [{ nickname: 'Bakern' }, 'nickname unknown-field'],
    [{ optIn: { email: 'yes' } }, 'optIn.email type'],
  ])('refuses %j naming the field and rule', async (overrides, expected) => {
    const res = await api.post('/customers', customerBody(overrides));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 422, title: 'Validation failed' });
    expect(fieldRules(res.body)).toContain(expected);
  });

  it('refuses a missing name as required', async () => {
    const res = await api.post('/customers', { email: 'a@b.no' });
    expect(fieldRules(res.body)).toEqual(['name required']);
  });
});

describe('request bodies', () => {
  it('answers malformed JSON with 400', async () => {
    const res = await api.call('POST', '/customers', '{"name": "Fjord', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, detail: 'the body is not valid JSON' });
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await api.call('POST', '/customers', 'name=Fjord', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });

  it('answers an oversized body with 413 before parsing it', async () => {
    const res = await api.post('/customers', { name: 'x', padding: 'y'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.body.detail).toMatch(/at most 65536/);
  });

  it('refuses a body where the route takes none', async () => {
    const customer = await createCustomer(api);
    const res = await api.call('DELETE', `/customers/${customer.id}`, { force: true });
    expect(res.status).toBe(422);
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const res = await api.get('/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses a list limit out of range', async () => {
    const res = await api.get('/customers?limit=1000');
    expect(fieldRules(res.body)).toEqual(['limit max']);
  });
});
