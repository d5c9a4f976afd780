import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice, fieldRules } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

// Notice templates: saved with the rules of a task's notices, copied onto a task made from
// one, and followed by that task until its notices are changed by hand.
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
let stack: TestStack;
let api: ApiClient;
let customer: { id: string };

const standard = {
  name: 'MVA-melding',
  notices: [emailNotice({ offset: 'P7D' }), emailNotice({ when: 'after', offset: 'P1D', repeat: { every: 7, times: 3 } })],
};

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as('firm-templates');
  await api.put('/settings', { version: 0 });
  customer = await createCustomer(api);
});
afterAll(() => stack.stop());

describe('a notice template', () => {
  it('is saved with ids for its notices, read, listed by name, changed and deleted', async () => {
    const created = await api.post('/templates', standard);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'MVA-melding', version: 1 });
    expect(created.body.notices.map((n: { id: string }) => n.id)).toEqual([expect.any(String), expect.any(String)]);
    await api.post('/templates', { ...standard, name: 'Årsoppgjør' });
    await api.post('/templates', { ...standard, name: 'aksjonærregister' });

    // Case-insensitive, and Å last, as in the Norwegian alphabet.
    expect((await api.get('/templates')).body.items.map((t: { name: string }) => t.name)).toEqual(['aksjonærregister', 'MVA-melding', 'Årsoppgjør']);
    const renamed = await api.patch(`/templates/${created.body.id}`, { name: 'MVA', version: 1 });
    expect(renamed.body).toMatchObject({ name: 'MVA', version: 2, notices: created.body.notices });
    expect((await api.patch(`/templates/${created.body.id}`, { name: 'Stale', version: 1 })).status).toBe(409);
    expect((await api.delete(`/templates/${created.body.id}`)).status).toBe(204);
    expect((await api.get(`/templates/${created.body.id}`)).status).toBe(404);
  });

  it('refuses notices by the rules of a task: unknown merge codes, an e-mail without subject, repeats before the deadline', async () => {
    const res = await api.post('/templates', {
      name: 'Feil',
      notices: [emailNotice({ message: 'Hei {{kunde.navnet}}' }), emailNotice({ subject: undefined }), emailNotice({ repeat: { every: 7, times: 2 } })],
    });
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['notices.0.message merge-code', 'notices.1.subject required', 'notices.2.repeat repeat-after-only']);
  });

  it('refuses a template without notices, and a 40,000-character name', async () => {
    expect(fieldRules((await api.post('/templates', { name: 'Tom', notices: [] })).body)).toEqual(['notices min-items']);
    expect(fieldRules((await api.post('/templates', { ...standard, name: 'x'.repeat(40_000) })).body)).toEqual(['name max-length']);
  });

  it('is created once for a retried request with the same Idempotency-Key', async () => {
    const first = await api.call('POST', '/templates', { ...standard, name: 'Retry' }, { 'idempotency-key': 'tpl-1' });
    const again = await api.call('POST', '/templates', { ...standard, name: 'Retry' }, { 'idempotency-key': 'tpl-1' });
    expect(again.body).toEqual(first.body);
    expect((await api.call('POST', '/templates', { ...standard, name: 'Other' }, { 'idempotency-key': 'tpl-1' })).status).toBe(409);
  });
});

describe('a task made from a template', () => {
  let template: { id: string; version: number; notices: { id: string }[] };

  beforeAll(async () => {
    template = (await api.post('/templates', { ...standard, name: 'Fra mal' })).body;
  });

  it("copies the template's notices, is planned as if they were typed, and remembers the template and its version", async () => {
    const res = await api.post('/tasks', { title: 'MVA 1. termin', customerId: customer.id, deadline: '2027-04-10', templateId: template.id });
    expect(res.status).toBe(201);
    expect(res.body.template).toEqual({ id: template.id, version: 1 });
    expect(res.body.notices).toEqual(template.notices);
    expect(stack.schedulesOf('firm-templates', res.body.id)).toHaveLength(5);
  });

  it('keeps following the template through saves that leave the notices alone, and stops once they are changed by hand', async () => {
    const task = await createTask(api, customer.id, { notices: undefined, templateId: template.id, deadline: '2027-04-10' });
    const renamed = await api.patch(`/tasks/${task.id}`, { title: 'Nytt navn', version: task.version });
    expect(renamed.body.template).toEqual({ id: template.id, version: 1 });
    const edited = await api.patch(`/tasks/${task.id}`, { notices: [emailNotice()], version: renamed.body.version });
    expect(edited.body.template).toBeUndefined();
  });

  it('refuses notices and a template together, a template of no such id, and notices that do not fit the task', async () => {
    const both = await api.post('/tasks', { title: 'x', customerId: customer.id, deadline: '2027-04-10', templateId: template.id, notices: [emailNotice()] });
    expect(fieldRules(both.body)).toEqual(['notices one-of']);
    const missing = await api.post('/tasks', { title: 'x', customerId: customer.id, deadline: '2027-04-10', templateId: 'nosuchtemplate00' });
    expect(fieldRules(missing.body)).toEqual(['templateId exists']);
    const noDeadline = await api.post('/tasks', { title: 'x', customerId: customer.id, templateId: template.id });
    expect(fieldRules(noDeadline.body)).toEqual(['notices deadline-required']);
    const noEmail = await createCustomer(api, { email: undefined, name: 'Uten e-post' });
    const noAddress = await api.post('/tasks', { title: 'x', customerId: noEmail.id, deadline: '2027-04-10', templateId: template.id });
    expect(fieldRules(noAddress.body)).toEqual(['notices.0.channels customer-address', 'notices.1.channels customer-address']);
  });
});

describe('apply: what it refuses before any job starts', () => {
  let template: { id: string; version: number };

  beforeAll(async () => {
    template = (await api.post('/templates', { ...standard, name: 'Refusals' })).body;
  });

  it('takes 5,000 task ids, more than other bodies may be, and refuses 5,001', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `t${String(i).padStart(15, '0')}`);
    const ok = await api.post(`/templates/${template.id}/apply`, { taskIds: ids });
    expect(ok.status).toBe(202);
    expect(ok.body).toMatchObject({ total: 5000, state: 'queued' });
    const tooMany = await api.post(`/templates/${template.id}/apply`, { taskIds: [...ids, 'x0000000000000001'] });
    expect(fieldRules(tooMany.body)).toEqual(['taskIds max-items']);
    // Other routes keep their 64 KiB.
    expect((await api.post('/customers', { name: 'x', email: 'a@b.no', pad: 'x'.repeat(70_000) })).status).toBe(413);
  });

  it('refuses both ids and a filter, neither, an id twice, a stale template version, and an unknown template', async () => {
    expect(fieldRules((await api.post(`/templates/${template.id}/apply`, { taskIds: ['a'], filter: {} })).body)).toEqual(['taskIds one-of']);
    expect(fieldRules((await api.post(`/templates/${template.id}/apply`, {})).body)).toEqual(['taskIds one-of']);
    expect(fieldRules((await api.post(`/templates/${template.id}/apply`, { taskIds: ['a', 'a'] })).body)).toEqual(['taskIds unique']);
    expect((await api.post(`/templates/${template.id}/apply`, { filter: {}, templateVersion: 7 })).status).toBe(409);
    expect((await api.post('/templates/nosuchtemplate00/apply', { filter: {} })).status).toBe(404);
  });

  it('shows another firm neither the template nor the job', async () => {
    const job = (await api.post(`/templates/${template.id}/apply`, { filter: {} })).body;
    const intruder = await stack.as('firm-intruder');
    expect((await intruder.get(`/templates/${template.id}`)).status).toBe(404);
    expect((await intruder.post(`/templates/${template.id}/apply`, { filter: {} })).status).toBe(404);
    expect((await intruder.get(`/jobs/${job.id}`)).status).toBe(404);
    expect((await intruder.get(`/jobs/${job.id}/problems`)).status).toBe(404);
    expect((await intruder.get('/templates')).body.items).toEqual([]);
  });
});
