import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyMediaType } from '../../functions/http/json-body.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import { TestClock } from './clock.ts';
import { operationsOf, responseChecker, type OpenApiDocument } from './contract.ts';
import { createCustomer, createTask, emailNotice, fieldRules } from './fixtures.ts';
import { apiClient, startTestStack, type ApiClient, type ApiResponse, type TestStack } from './harness.ts';

const clock = new TestClock(new Date('2027-01-01T00:00:00Z'));
let stack: TestStack;
let api: ApiClient;
beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as('firm-contract');
});

/** Sends an SMS notice through the Scheduler emulator and returns its document id. */
async function sentDocumentId(customerId: string): Promise<string> {
  const task = await createTask(api, customerId, {
    // At noon: an SMS due in the night would wait for the end of the firm's quiet hours.
    deadline: '2027-01-01T12:05:00Z',
    notices: [emailNotice({ channels: ['sms'], offset: 'PT0S' })],
  });
  clock.set('2027-01-01T12:05:00Z');
  await stack.runDue();
  const deliveries = (await api.get(`/tasks/${task.id}/deliveries`)).body.items as { documentId?: string }[];
  return deliveries[0]!.documentId!;
}
afterAll(() => stack.stop());

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await stack.anonymous.get('/openapi.json');
    const validator = new Validator();
    const result = await validator.validate(res.body);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('describes every route with its request body, response and refusals', async () => {
    const doc = (await stack.anonymous.get('/openapi.json')).body;
    for (const route of ROUTES) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(Object.keys(operation.responses)).toContain(String(route.status));
      if (route.body) expect(operation.requestBody.content[route.bodyMediaType ?? bodyMediaType(route.method)].schema).toBeDefined();
      if (route.response) expect(operation.responses[route.status].content['application/json'].schema).toBeDefined();
      if (!route.public) expect(operation.responses['401']).toBeDefined();
      for (const status of route.refusals ?? []) expect(operation.responses[status], `${route.path} ${status}`).toBeDefined();
    }
  });
});

describe('responses match their documented schemas', () => {
  it('holds strictly for one call of every operation of the served document', async () => {
    const doc = (await stack.anonymous.get('/openapi.json')).body as OpenApiDocument;
    const contract = responseChecker(doc);
    const customer = await createCustomer(api);
    const task = await createTask(api, customer.id, { notices: [emailNotice({ channels: ['email', 'sms'] })] });
    const other = await createCustomer(api, { name: 'Slettes' });
    const doomed = await createTask(api, customer.id);
    const template = (await api.post('/templates', { name: 'Standard', notices: [emailNotice()] })).body;
    const doomedTemplate = (await api.post('/templates', { name: 'Slettes', notices: [emailNotice()] })).body;
    const applied = await createTask(api, customer.id);
    const job = (await api.post(`/templates/${template.id}/apply`, { taskIds: [applied.id, 'nosuchtask000000'] })).body;
    await stack.jobsSource.runDue();
    const hookBody = { url: `${stack.webhookReceiverUrl}/contract`, eventTypes: ['notice.sent'] };
    const webhook = (await api.post('/webhooks', hookBody)).body as { id: string };
    /** The firm's gateway URL of `hook` for `provider`, as a path of this API (no token: the secret is in it). */
    const gatewayPath = async (provider: string, hook: string) =>
      ((await api.get('/settings')).body.smsGateway.receiptUrl as string)
        .replace(stack.apiUrl, '')
        .replace('/generic/', `/${provider}/`)
        .replace(/receipt$/, hook);
    const sveveReceipt = 'number=4798765432&status=true&id=1&ref=abc&errorCode=&errorDesc=';
    const calls: Record<string, () => Promise<ApiResponse>> = {
      'GET /health': () => api.get('/health'),
      'GET /openapi.json': () => api.get('/openapi.json'),
      'GET /merge-codes': () => api.get('/merge-codes'),
      'POST /notices/preview': () => api.post('/notices/preview', { taskId: task.id, channel: 'sms', message: 'Hei {{customer.name}}' }),
      'GET /settings': () => api.get('/settings'),
      'PUT /settings': () => api.put('/settings', { firm: { name: 'Firma' }, smsAccount: { username: 'u', password: 'p' }, version: 0 }),
      'PATCH /settings': () => api.patch('/settings', { smsSenderActivated: true, version: 1 }),
      'POST /settings/sms-gateway/rotate': () => api.post('/settings/sms-gateway/rotate'),
      'GET /sms-gateway/sveve/{tenantId}/{secret}/receipt': async () => stack.anonymous.get(`${await gatewayPath('sveve', 'receipt')}?${sveveReceipt}`),
      'POST /sms-gateway/sveve/{tenantId}/{secret}/receipt': async () =>
        stack.anonymous.call('POST', await gatewayPath('sveve', 'receipt'), sveveReceipt, { 'content-type': 'application/x-www-form-urlencoded' }),
      'GET /sms-gateway/sveve/{tenantId}/{secret}/inbound': async () =>
        stack.anonymous.get(`${await gatewayPath('sveve', 'inbound')}?number=4798765432&msg=Hei`),
      'POST /sms-gateway/sveve/{tenantId}/{secret}/inbound': async () =>
        stack.anonymous.post(await gatewayPath('sveve', 'inbound'), { number: 4798765432, msg: 'Hei' }),
      'POST /sms-gateway/generic/{tenantId}/{secret}/receipt': async () =>
        stack.anonymous.post(await gatewayPath('generic', 'receipt'), { reference: 'abc', status: 'delivered' }),
      'POST /sms-gateway/generic/{tenantId}/{secret}/inbound': async () =>
        stack.anonymous.post(await gatewayPath('generic', 'inbound'), { from: '+4798765432', text: 'Hei' }),
      'POST /customers': () => api.post('/customers', { name: 'Ny' }),
      'GET /customers': () => api.get('/customers'),
      'GET /customers/{id}': () => api.get(`/customers/${customer.id}`),
      'PUT /customers/{id}': () => api.put(`/customers/${other.id}`, { name: 'Endret', version: 1 }),
      'PATCH /customers/{id}': () => api.patch(`/customers/${customer.id}`, { mobile: '98765432', version: 1 }),
      'DELETE /customers/{id}': () => api.delete(`/customers/${other.id}`),
      'POST /tasks': () => api.post('/tasks', { title: 'Ny', customerId: customer.id }),
      'GET /tasks': () => api.get('/tasks'),
      'GET /tasks/{id}': () => api.get(`/tasks/${task.id}`),
      'PUT /tasks/{id}': () => api.put(`/tasks/${task.id}`, { title: 'Endret', customerId: customer.id, version: 1 }),
      'PATCH /tasks/{id}': () => api.patch(`/tasks/${task.id}`, { title: 'Endret igjen', version: 2 }),
      'DELETE /tasks/{id}': () => api.delete(`/tasks/${doomed.id}`),
      'POST /tasks/{id}/complete': () => api.post(`/tasks/${task.id}/complete`),
      'POST /tasks/{id}/reopen': () => api.post(`/tasks/${task.id}/reopen`),
      'GET /tasks/{id}/plan': () => api.get(`/tasks/${task.id}/plan`),
      'GET /tasks/{id}/deliveries': () => api.get(`/tasks/${task.id}/deliveries`),
      'POST /templates': () => api.post('/templates', { name: 'Ny', notices: [emailNotice()] }),
      'GET /templates': () => api.get('/templates'),
      'GET /templates/{id}': () => api.get(`/templates/${template.id}`),
      'PUT /templates/{id}': () => api.put(`/templates/${template.id}`, { name: 'Endret', notices: template.notices, version: 1 }),
      'PATCH /templates/{id}': () => api.patch(`/templates/${template.id}`, { name: 'Endret igjen', version: 2 }),
      'DELETE /templates/{id}': () => api.delete(`/templates/${doomedTemplate.id}`),
      'POST /templates/{id}/apply': () => api.post(`/templates/${template.id}/apply`, { filter: { customerId: customer.id }, onlyLinked: true }),
      'POST /imports': () =>
        api.call('POST', '/imports', 'Kundenummer;Navn;Oppgave-id;Tittel;Frist\r\n20001;Kontrakt AS;C-1;MVA;10.02.2030\r\n', { 'content-type': 'text/csv' }),
      'GET /jobs/{id}': () => api.get(`/jobs/${job.id}`),
      'GET /jobs/{id}/problems': () => api.get(`/jobs/${job.id}/problems`),
      'GET /documents': () => api.get(`/documents?customerId=${customer.id}`),
      'GET /documents/{id}': async () => {
        const sent = await sentDocumentId(customer.id);
        return api.get(`/documents/${sent}`);
      },
      'POST /webhooks': () => api.post('/webhooks', hookBody),
      'GET /webhooks': () => api.get('/webhooks'),
      'GET /webhooks/{id}': () => api.get(`/webhooks/${webhook.id}`),
      'PATCH /webhooks/{id}': async () => {
        const { version } = (await api.get(`/webhooks/${webhook.id}`)).body as { version: number };
        return api.patch(`/webhooks/${webhook.id}`, { description: 'Praksissystemet', version });
      },
      'DELETE /webhooks/{id}': async () => api.delete(`/webhooks/${((await api.post('/webhooks', hookBody)).body as { id: string }).id}`),
      'POST /webhooks/{id}/test': () => api.post(`/webhooks/${webhook.id}/test`),
      'GET /webhooks/{id}/deliveries': async () => {
        await stack.runDue();
        return api.get(`/webhooks/${webhook.id}/deliveries`);
      },
    };
    const operations = operationsOf(doc);
    expect(Object.keys(calls).sort()).toEqual(operations.map((op) => op.key).sort());
    for (const operation of operations) {
      const res = await calls[operation.key]!();
      const success = Object.keys(doc.paths[operation.path]![operation.method.toLowerCase()]!.responses).filter((s) => s.startsWith('2'));
      expect(success, operation.key).toEqual([String(res.status)]);
      expect(contract.check(operation, res)).toEqual([]);
    }
  });

  it("holds strictly for refusals: the authorizer's 401, problem details", async () => {
    const doc = (await stack.anonymous.get('/openapi.json')).body as OpenApiDocument;
    const contract = responseChecker(doc);
    const customer = await createCustomer(api);
    const refusals: [string, string, () => Promise<ApiResponse>, number][] = [
      ['GET', '/customers', () => stack.anonymous.get('/customers'), 401],
      ['GET', '/customers', () => apiClient(stack.apiUrl, 'not.a.token').get('/customers'), 401],
      ['GET', '/tasks/{id}', () => api.get('/tasks/nosuchtask'), 404],
      ['POST', '/customers', () => api.post('/customers', { name: '' }), 422],
      ['POST', '/customers', () => api.post('/customers', '{"name":'), 400],
      ['PUT', '/customers/{id}', () => api.put(`/customers/${customer.id}`, { name: 'X', version: 99 }), 409],
      ['DELETE', '/customers/{id}', () => api.call('DELETE', `/customers/${customer.id}`, { a: 1 }), 422],
    ];
    for (const [method, path, call, status] of refusals) {
      const res = await call();
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(contract.check({ key: `${method} ${path}`, method, path }, res)).toEqual([]);
    }
  });

  it('fails an undeclared field', async () => {
    const doc = (await stack.anonymous.get('/openapi.json')).body as OpenApiDocument;
    const contract = responseChecker(doc);
    const res = await api.get('/health');
    const problems = contract.check({ key: 'GET /health', method: 'GET', path: '/health' }, { ...res, body: { status: 'ok', extra: 1 } });
    expect(problems.join()).toContain('additional properties');
  });
});

describe('merge codes and preview', () => {
  it('serves the catalogue with Norwegian and English descriptions and examples', async () => {
    const res = await api.get('/merge-codes');
    expect(res.body.items).toContainEqual({
      code: 'customer.name',
      placeholder: '{{customer.name}}',
      alias: 'kunde.navn',
      aliasPlaceholder: '{{kunde.navn}}',
      description: { nb: 'Kundens navn', en: "The customer's name" },
      example: 'Fjord Bakeri AS',
    });
  });

  it('previews an SMS with its encoding and segments: æøå stay GSM-7', async () => {
    const res = await api.post('/notices/preview', { channel: 'sms', message: 'Hei {{customer.name}}, frist for årsoppgjør: {{task.deadline}}' });
    expect(res.body).toEqual({
      channel: 'sms',
      text: 'Hei Fjord Bakeri AS, frist for årsoppgjør: 10.02.2027',
      sms: { encoding: 'GSM-7', characters: 53, units: 53, segments: 1, maxSegments: 3, withinLimit: true },
      emptyCodes: [],
    });
  });

  it('fills in the Norwegian codes like the English ones, writes phone numbers as Norwegians do, and names the codes that come out empty', async () => {
    const customer = await createCustomer(api, { name: 'Fjord Bakeri AS', mobile: '+4791234567' });
    const task = await createTask(api, customer.id, { deadline: '2027-03-01' });
    const res = await api.post('/notices/preview', {
      taskId: task.id,
      channel: 'sms',
      message: 'Hei {{kunde.navn}} ({{customer.mobile}}). Frist {{oppgave.frist}}. Ansvarlig: {{oppgave.ansvarlig}}.',
    });
    expect(res.body).toMatchObject({
      text: 'Hei Fjord Bakeri AS (912 34 567). Frist 01.03.2027. Ansvarlig: .',
      emptyCodes: ['oppgave.ansvarlig'],
    });
  });

  it('fills in the organisation and customer numbers and the days left to the deadline', async () => {
    const customer = await createCustomer(api, { name: 'Fjord Bakeri AS', orgNumber: '974 760 673', customerNumber: '10042' });
    expect(customer).toMatchObject({ orgNumber: '974760673', customerNumber: '10042' });
    const task = await createTask(api, customer.id, { deadline: '2027-02-10' });
    const res = await api.post('/notices/preview', {
      taskId: task.id,
      channel: 'sms',
      message: '{{kunde.orgnr}} / {{customer.number}}: {{oppgave.dagerIgjen}} dager igjen, {{task.daysOverdue}} over.',
    });
    expect(res.body.text).toMatch(/^974760673 \/ 10042: \d+ dager igjen, 0 over\.$/);
  });

  it('refuses an organisation number whose check digit is wrong, naming the rule', async () => {
    const res = await api.post('/customers', { name: 'Feil AS', orgNumber: '974760672' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'orgNumber', rule: 'org-number' })]);
  });

  it('reports the units segments are made of beside the characters: € counts two septets', async () => {
    const res = await api.post('/notices/preview', { channel: 'sms', message: `${'a'.repeat(159)}€` });
    expect(res.body.sms).toMatchObject({ encoding: 'GSM-7', characters: 160, units: 161, segments: 2 });
  });

  it('previews a long UCS-2 SMS as over the limit', async () => {
    const res = await api.post('/notices/preview', { channel: 'sms', message: `😀 ${'ø'.repeat(250)}` });
    expect(res.body.sms).toMatchObject({ encoding: 'UCS-2', segments: 4, withinLimit: false });
  });

  it("previews e-mail for a task's customer with the values HTML-escaped in the HTML", async () => {
    const customer = await createCustomer(api, { name: 'Bølgen & <Co>' });
    const task = await createTask(api, customer.id, { deadline: '2027-03-01T14:30:00+01:00' });
    const res = await api.post('/notices/preview', {
      taskId: task.id,
      channel: 'email',
      subject: 'Frist {{task.deadline}}',
      message: 'Hei {{customer.name}}\nHilsen oss',
    });
    expect(res.body).toEqual({
      channel: 'email',
      subject: 'Frist 01.03.2027 kl. 14:30',
      text: 'Hei Bølgen & <Co>\nHilsen oss',
      html: 'Hei Bølgen &#38; &#60;Co&#62;<br>\nHilsen oss',
      emptyCodes: [],
    });
  });

  it('refuses a preview with an unknown merge code, naming it', async () => {
    const res = await api.post('/notices/preview', { channel: 'sms', message: 'Hei {{kunde}}' });
    expect(fieldRules(res.body)).toEqual(['message merge-code']);
  });
});
