import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from '../integration/clock.ts';
import { createCustomer, emailNotice, fieldRules } from '../integration/fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from '../integration/harness.ts';

// Templates as a hostile caller uses them: huge texts, two edits of one version at once, a
// task made from another firm's template, a template deleted while tasks follow it.
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
let stack: TestStack;
let api: ApiClient;

beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as('firm-template-edges');
});
afterAll(() => stack.stop());

describe('template edges', () => {
  it('refuses a 40,000-character message naming the field, two of them as too large a body, and stores nothing', async () => {
    const res = await api.post('/templates', { name: 'Stor', notices: [emailNotice({ message: 'y'.repeat(40_000) })] });
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['notices.0.message max-length']);
    const both = await api.post('/templates', { name: 'Stor', notices: [emailNotice({ subject: 'x'.repeat(40_000), message: 'y'.repeat(40_000) })] });
    expect(both.status).toBe(413);
    expect((await api.get('/templates')).body.items).toEqual([]);
  });

  it('lets one of two edits of the same version win, the other 409, whether PUT or PATCH', async () => {
    const template = (await api.post('/templates', { name: 'Samtidig', notices: [emailNotice()] })).body;
    const [put, patch] = await Promise.all([
      api.put(`/templates/${template.id}`, { name: 'PUT', notices: [emailNotice()], version: 1 }),
      api.patch(`/templates/${template.id}`, { name: 'PATCH', version: 1 }),
    ]);
    expect([put.status, patch.status].sort()).toEqual([200, 409]);
    const stored = (await api.get(`/templates/${template.id}`)).body;
    expect(stored.version).toBe(2);
    expect(stored.name).toBe(put.status === 200 ? 'PUT' : 'PATCH');
  });

  it("refuses a task made from another firm's template, as if there were none", async () => {
    const other = await stack.as('firm-template-other');
    const foreign = (await other.post('/templates', { name: 'Fremmed', notices: [emailNotice()] })).body;
    const customer = await createCustomer(api);
    const res = await api.post('/tasks', { title: 'MVA', customerId: customer.id, deadline: '2027-03-10', templateId: foreign.id });
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['templateId exists']);
    expect(JSON.stringify(res.body)).not.toContain('Fremmed');
  });

  it('deletes a template that tasks follow: the tasks keep their notices and plan', async () => {
    const template = (await api.post('/templates', { name: 'Slettes', notices: [emailNotice({ offset: 'P4D' })] })).body;
    const customer = await createCustomer(api);
    const task = (await api.post('/tasks', { title: 'MVA', customerId: customer.id, deadline: '2027-03-10', templateId: template.id })).body;
    expect((await api.delete(`/templates/${template.id}`)).status).toBe(204);
    const after = (await api.get(`/tasks/${task.id}`)).body;
    expect(after.notices.map((n: { offset: string }) => n.offset)).toEqual(['P4D']);
    expect(stack.schedulesOf('firm-template-edges', task.id)).toHaveLength(1);
    // A save of the task still works, and an apply of the deleted template is 404.
    expect((await api.patch(`/tasks/${task.id}`, { title: 'MVA (endret)', version: after.version })).status).toBe(200);
    expect((await api.post(`/templates/${template.id}/apply`, { taskIds: [task.id] })).status).toBe(404);
  });
});
