import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, emailNotice, fieldRules } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

/** Attack on issue 8, the low findings: input the document calls invalid, or refuses wrongly. */
let stack: TestStack;
let api: ApiClient;
beforeAll(async () => {
  stack = await startTestStack();
  api = await stack.as('firm-input-edges');
});
afterAll(() => stack.stop());

describe('edges of the input rules', () => {
  it('counts a length before trimming: 200 characters and three spaces are over maxLength 200', async () => {
    const res = await api.post('/customers', { name: `${'a'.repeat(200)}   ` });
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['name max-length']);
  });

  it('still trims what fits, and refuses a name of spaces only', async () => {
    expect((await api.post('/customers', { name: '  Fjord AS  ' })).body.name).toBe('Fjord AS');
    expect(fieldRules((await api.post('/customers', { name: '   ' })).body)).toEqual(['name min-length']);
  });

  it('takes P12M as the year the offset may be at most, and refuses more', async () => {
    const customer = await createCustomer(api);
    const task = (offset: string) =>
      api.post('/tasks', { title: 'Årsoppgjør', customerId: customer.id, deadline: '2030-06-30', notices: [emailNotice({ offset })] });
    expect((await task('P12M')).status).toBe(201);
    expect(fieldRules((await task('P12M1D')).body)).toEqual(['notices.0.offset duration-max']);
  });

  it('refuses the organisation number 000 000 000, which passes MOD11 but is no Norwegian number', async () => {
    expect(fieldRules((await api.post('/customers', { name: 'Null AS', orgNumber: '000 000 000' })).body)).toEqual(['orgNumber org-number']);
    expect((await api.post('/customers', { name: 'Ekte AS', orgNumber: '974 760 673' })).status).toBe(201);
  });

  it('refuses a query parameter given twice instead of reading the values joined by a comma', async () => {
    const res = await api.get('/customers?namePrefix=a&namePrefix=b');
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['namePrefix repeated']);
  });
});
