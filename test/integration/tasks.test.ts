import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createTask, emailNotice, fieldRules } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/** A clock the tests set: planning decides `past` against it. */
const clock = {
  current: new Date('2027-01-15T12:00:00Z'),
  now() {
    return this.current;
  },
};

let stack: TestStack;
let api: ApiClient;
let customerId: string;
beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as('firm-tasks');
  customerId = (await createCustomer(api)).id;
});
afterAll(() => stack.stop());

describe('tasks and their plan', () => {
  it('creates a task with a before- and an after-deadline notice and shows the clock mark', async () => {
    const task = await createTask(api, customerId, {
      deadline: '2027-02-10',
      responsible: 'Kari',
      notices: [emailNotice(), emailNotice({ when: 'after', offset: 'P1D', channels: ['email', 'sms'] })],
    });
    expect(task).toMatchObject({
      status: 'open',
      hasNotices: true,
      nextNoticeAt: '2027-02-07T08:00:00Z',
      schedules: { pending: 2, fired: 0 },
      version: 1,
    });
    expect(task.notices.map((n) => n.id)).toHaveLength(2);

    const plan = await api.get(`/tasks/${task.id}/plan`);
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({ taskId: task.id, timeZone: 'Europe/Oslo', status: 'open' });
    expect(plan.body.occurrences).toEqual([
      {
        noticeId: task.notices[0]!.id,
        repetition: 0,
        at: '2027-02-07T08:00:00Z',
        local: '2027-02-07T09:00+01:00',
        state: 'scheduled',
        channels: ['email'],
        planVersion: 1,
        schedule: 'pending',
        deliveries: [],
      },
      {
        noticeId: task.notices[1]!.id,
        repetition: 0,
        at: '2027-02-11T08:00:00Z',
        local: '2027-02-11T09:00+01:00',
        state: 'scheduled',
        channels: ['email', 'sms'],
        planVersion: 1,
        schedule: 'pending',
        deliveries: [],
      },
    ]);
  });

  it("plans in the tenant's time zone", async () => {
    const own = await stack.as('firm-new-york');
    await own.put('/settings', { timeZone: 'America/New_York', version: 0 });
    const customer = await createCustomer(own);
    const task = await createTask(own, customer.id, { deadline: '2027-02-10', notices: [emailNotice({ sendAt: '08:00' })] });
    const plan = await own.get(`/tasks/${task.id}/plan`);
    expect(plan.body.occurrences[0]).toMatchObject({ at: '2027-02-07T13:00:00Z', local: '2027-02-07T08:00-05:00' });
  });

  it('marks occurrences already due at save time as past and does not count them as next', async () => {
    const task = await createTask(api, customerId, {
      deadline: '2027-01-16',
      notices: [emailNotice({ offset: 'P3D' }), emailNotice({ offset: 'PT2H' })],
    });
    const plan = await api.get(`/tasks/${task.id}/plan`);
    expect(plan.body.occurrences.map((o: { state: string }) => o.state)).toEqual(['past', 'scheduled']);
    expect(task.nextNoticeAt).toBe('2027-01-16T06:00:00Z');
  });

  it('stops pending occurrences on completion and plans them again on reopening', async () => {
    const task = await createTask(api, customerId, {
      deadline: '2027-02-10',
      notices: [emailNotice(), emailNotice({ when: 'after', offset: 'P1D', repeat: { every: 7, times: 2 } })],
    });
    const completed = await api.post(`/tasks/${task.id}/complete`);
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'completed', version: 2 });
    expect(completed.body.completedAt).toBe(clock.current.toISOString());
    expect(completed.body.nextNoticeAt).toBeUndefined();
    const stopped = await api.get(`/tasks/${task.id}/plan`);
    expect(stopped.body.occurrences.map((o: { state: string }) => o.state)).toEqual(['stopped', 'stopped', 'stopped', 'stopped']);

    expect((await api.post(`/tasks/${task.id}/complete`)).body.version).toBe(2);

    const reopened = await api.post(`/tasks/${task.id}/reopen`);
    expect(reopened.body).toMatchObject({ status: 'open', version: 3, nextNoticeAt: '2027-02-07T08:00:00Z' });
    expect(reopened.body.completedAt).toBeUndefined();
    const planned = await api.get(`/tasks/${task.id}/plan`);
    expect(planned.body.occurrences.map((o: { state: string }) => o.state)).toEqual(['scheduled', 'scheduled', 'scheduled', 'scheduled']);
  });

  it('re-plans when the deadline changes and keeps notice ids that are sent back', async () => {
    const task = await createTask(api, customerId, { deadline: '2027-02-10' });
    const res = await api.put(`/tasks/${task.id}`, {
      title: 'MVA-melding',
      customerId,
      deadline: '2027-03-10',
      notices: [{ ...emailNotice(), id: task.notices[0]!.id }],
      version: task.version,
    });
    expect(res.status).toBe(200);
    expect(res.body.notices[0].id).toBe(task.notices[0]!.id);
    expect(res.body.nextNoticeAt).toBe('2027-03-07T08:00:00Z');
  });

  it('refuses a stale task update with 409', async () => {
    const task = await createTask(api, customerId);
    const body = { title: 'Ny tittel', customerId, deadline: '2027-02-10', notices: [], version: task.version };
    expect((await api.put(`/tasks/${task.id}`, body)).status).toBe(200);
    expect((await api.put(`/tasks/${task.id}`, body)).status).toBe(409);
  });

  it('lets one of several concurrent updates win and refuses the rest', async () => {
    const task = await createTask(api, customerId);
    const results = await Promise.all(
      [1, 2, 3].map((n) => api.put(`/tasks/${task.id}`, { title: `Tittel ${n}`, customerId, notices: [], version: task.version })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  });

  it('deletes a task', async () => {
    const task = await createTask(api, customerId);
    expect(await api.delete(`/tasks/${task.id}`)).toMatchObject({ status: 200, body: { id: task.id, inFlight: [] } });
    expect((await api.get(`/tasks/${task.id}`)).status).toBe(404);
    expect((await api.get(`/tasks/${task.id}/plan`)).status).toBe(404);
  });

  it('keeps a task without a deadline and without notices', async () => {
    const res = await api.post('/tasks', { title: 'Uten frist', customerId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ hasNotices: false, notices: [] });
    expect(res.body.deadline).toBeUndefined();
  });
});

describe('task refusals', () => {
  const post = (overrides: Record<string, unknown>) =>
    api.post('/tasks', { title: 'MVA-melding', customerId, deadline: '2027-02-10', notices: [emailNotice()], ...overrides });

  it('refuses notices on a task without a deadline', async () => {
    const res = await post({ deadline: undefined });
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['notices deadline-required']);
  });

  it('names an unknown merge code', async () => {
    const res = await post({ notices: [emailNotice({ message: 'Hei {{kunde.nvan}}' })] });
    expect(fieldRules(res.body)).toEqual(['notices.0.message merge-code']);
    expect(res.body.errors[0].message).toContain('{{kunde.nvan}}');
  });

  it('refuses an SMS that filled in for this customer is longer than the segment limit', async () => {
    const res = await post({ notices: [emailNotice({ channels: ['sms'], message: `{{customer.name}} ${'x'.repeat(470)}` })] });
    expect(fieldRules(res.body)).toEqual(['notices.0.message sms-segments']);
    expect(res.body.errors[0].message).toMatch(/4 segments \(GSM-7, \d+ units\); at most 3/);
  });

  it('refuses a channel the customer has no address for', async () => {
    const noMobile = await createCustomer(api, { mobile: undefined });
    const res = await post({ customerId: noMobile.id, notices: [emailNotice({ channels: ['email', 'sms'] })] });
    expect(fieldRules(res.body)).toEqual(['notices.0.channels customer-address']);
    expect(res.body.errors[0].message).toBe('the customer has no mobile number');
  });

  it('refuses a customer that is not in this firm', async () => {
    const res = await post({ customerId: 'nosuchcustomer00' });
    expect(fieldRules(res.body)).toEqual(['customerId exists']);
  });

  it.each([
    [{ deadline: '2027-02-30' }, 'deadline deadline'],
    [{ deadline: '2027-02-10T14:00' }, 'deadline deadline'],
    [{ notices: [emailNotice({ offset: '3 days' })] }, 'notices.0.offset duration'],
    [{ notices: [emailNotice({ offset: 'P400D' })] }, 'notices.0.offset duration-max'],
    [{ notices: [emailNotice({ sendAt: '25:00' })] }, 'notices.0.sendAt pattern'],
    [{ notices: [emailNotice({ channels: [] })] }, 'notices.0.channels min-items'],
    [{ notices: [emailNotice({ channels: ['fax'] })] }, 'notices.0.channels.0 one-of'],
    [{ notices: [emailNotice({ subject: undefined })] }, 'notices.0.subject required'],
    [{ notices: [emailNotice({ repeat: { every: 7, times: 2 } })] }, 'notices.0.repeat repeat-after-only'],
    [{ notices: [emailNotice({ when: 'after', repeat: { every: 0, times: 2 } })] }, 'notices.0.repeat.every min'],
    [{ notices: Array.from({ length: 11 }, () => emailNotice()) }, 'notices max-items'],
    [{ notices: [emailNotice({ id: 'same' }), emailNotice({ id: 'same' })] }, 'notices.1.id unique'],
    [{ status: 'completed' }, 'status unknown-field'],
    [{ title: 'x'.repeat(201) }, 'title max-length'],
  ])('refuses %j naming the field and rule', async (overrides, expected) => {
    const res = await post(overrides);
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toContain(expected);
  });
});

describe('rules a firm relies on', () => {
  let api: ApiClient;
  let customerId: string;
  beforeAll(async () => {
    api = await stack.as('firm-rules');
    customerId = (await createCustomer(api)).id;
  });

  it('refuses an after-notice of less than a day on a date-only deadline, saying what to use instead', async () => {
    const res = await api.post('/tasks', { title: 'MVA', customerId, deadline: '2027-02-10', notices: [emailNotice({ when: 'after', offset: 'PT0S' })] });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: 'notices.0.offset', rule: 'after-date-only', message: expect.stringMatching(/P1D.*before.*P0D/) }),
    ]);
    const timed = await api.post('/tasks', {
      title: 'MVA',
      customerId,
      deadline: '2027-02-10T12:00:00+01:00',
      notices: [emailNotice({ when: 'after', offset: 'PT0S' })],
    });
    expect(timed.status).toBe(201);
  });

  it('refuses a deadline range whose end is before its start, naming the rule', async () => {
    const res = await api.get('/tasks?deadlineFrom=2027-02-11&deadlineTo=2027-02-10');
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['deadlineTo range']);
  });

  it.each(['0x10', '1e1', '10.0', '-1', ' 10'])('refuses limit=%s rather than reading it as a number', async (limit) => {
    const res = await api.get(`/tasks?limit=${encodeURIComponent(limit)}`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'limit' });
  });

  it('refuses a NUL character or a lone surrogate in a text field, and a body that is not UTF-8', async () => {
    const nul = await api.call('POST', '/tasks', `{"title":"MVA\\u0000","customerId":"${customerId}"}`, { 'content-type': 'application/json' });
    expect(nul.status).toBe(422);
    expect(fieldRules(nul.body)).toEqual(['title text']);
    const surrogate = await api.call('POST', '/tasks', `{"title":"MVA \\ud800","customerId":"${customerId}"}`, { 'content-type': 'application/json' });
    expect(fieldRules(surrogate.body)).toEqual(['title text']);
    const latin1 = Buffer.from(`{"title":"S\xf8knad","customerId":"${customerId}"}`, 'latin1');
    const response = await fetch(`${stack.apiUrl}/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await stack.token('firm-rules')}`, 'content-type': 'application/json' },
      body: latin1,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toBe('the body is not valid UTF-8');
  });
});

describe('save warnings', () => {
  let api: ApiClient;
  beforeAll(async () => {
    api = await stack.as('firm-warnings');
  });

  it('warns of an SMS notice without an SMS account, an opted-out channel and a notice past at save; the save still succeeds', async () => {
    const customer = await createCustomer(api, { name: 'Nei SMS', email: 'nei@sms.example', mobile: '+4741234567', optIn: { email: true, sms: false } });
    const res = await api.post('/tasks', {
      title: 'MVA',
      customerId: customer.id,
      deadline: '2027-02-10',
      notices: [emailNotice({ channels: ['email', 'sms'] }), emailNotice({ offset: 'P30D' })],
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(201);
    expect(res.body.warnings.map((w: { code: string; field: string }) => `${w.field} ${w.code}`)).toEqual([
      'notices.0.channels opted-out',
      'notices.0.channels no-sms-account',
      'notices.1 past-at-save',
    ]);
  });

  it('warns that an SMS goes out with the default sender until the firm sender is activated', async () => {
    await api.put('/settings', { smsAccount: { username: 'firm', password: 'hemmelig' }, smsSender: 'TallOgTid', version: 0 });
    const customer = await createCustomer(api, { name: 'Ja SMS', mobile: '+4741234568' });
    const res = await api.post('/tasks', { title: 'MVA', customerId: customer.id, deadline: '2027-02-10', notices: [emailNotice({ channels: ['sms'] })] });
    expect(res.body.warnings).toEqual([expect.objectContaining({ code: 'sms-sender-not-activated', field: 'notices.0.channels' })]);
  });
});
