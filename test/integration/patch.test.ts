import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice, fieldRules } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

const TENANT = 'firm-patch';
const clock = new TestClock(new Date('2027-01-10T08:00:00Z'));
let stack: TestStack;
let api: ApiClient;
beforeAll(async () => {
  stack = await startTestStack({ clock });
  api = await stack.as(TENANT);
});
afterAll(() => stack.stop());

/** The settings a firm saved once, in New York, with its SMS account; the zone change done. */
async function savedSettings() {
  const res = await api.put('/settings', {
    firm: { name: 'Tall og Tid Regnskap AS', email: 'post@tallogtid.example' },
    timeZone: 'America/New_York',
    smsAccount: { username: 'tallogtid', password: 's3cret-Passw0rd' },
    smsSender: 'TallOgTid',
    version: (await api.get('/settings')).body.version,
  });
  expect(res.status).toBe(200);
  await stack.runDue();
  return (await api.get('/settings')).body;
}

const storedPassword = async () => {
  const ref = (await stack.ports.store.getSettings(TENANT))!.smsPassword;
  return ref && stack.sendingPorts.secrets.get(ref);
};

describe('PATCH /settings', () => {
  it('flips smsSenderActivated and keeps the firm, the zone (no re-plan), the SMS account and its password', async () => {
    const before = await savedSettings();

    const res = await api.patch('/settings', { smsSenderActivated: true, version: before.version });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...before, smsSenderActivated: true, version: before.version + 1, updatedAt: res.body.updatedAt });
    expect(res.body.timeZoneChange.jobId).toBe(before.timeZoneChange.jobId);
    expect(stack.jobsQueue.list()).toEqual([]);
    expect(await storedPassword()).toBe('s3cret-Passw0rd');
  });

  it('removes only the password with smsAccount: { password: null }, and the whole account with smsAccount: null', async () => {
    const before = await savedSettings();

    const noPassword = await api.patch('/settings', { smsAccount: { password: null }, version: before.version });
    expect(noPassword.body).toMatchObject({ smsAccount: { username: 'tallogtid', passwordSet: false }, firm: before.firm, smsSender: 'TallOgTid' });
    expect(await storedPassword()).toBeUndefined();

    const newPassword = await api.patch('/settings', { smsAccount: { password: 'second' }, version: noPassword.body.version });
    expect(newPassword.body.smsAccount).toEqual({ username: 'tallogtid', passwordSet: true });
    expect(await storedPassword()).toBe('second');

    const noAccount = await api.patch('/settings', { smsAccount: null, version: newPassword.body.version });
    expect(noAccount.body.smsAccount).toEqual({ passwordSet: false });
    expect(noAccount.body.smsSender).toBe('TallOgTid');
  });

  it('refuses a stale version with 409 and changes nothing', async () => {
    const before = await savedSettings();
    const res = await api.patch('/settings', { smsSenderActivated: true, version: before.version - 1 });
    expect(res.status).toBe(409);
    expect((await api.get('/settings')).body).toEqual(before);
  });

  it('refuses a patch whose merged result breaks a rule with 422 naming the field', async () => {
    const before = await savedSettings();
    // Valid as a patch; but the merged settings would have an e-mail sender without `from`.
    const res = await api.patch('/settings', { emailSender: { replyTo: 'svar@tallogtid.example' }, version: before.version });
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['emailSender.from required']);
  });

  it('takes only application/merge-patch+json, and PUT does not take it', async () => {
    const before = await savedSettings();
    const asJson = await api.call('PATCH', '/settings', { smsSenderActivated: true, version: before.version }, { 'content-type': 'application/json' });
    expect(asJson.status).toBe(415);
    expect(asJson.headers.get('content-type')).toBe('application/problem+json');
    expect(asJson.body.detail).toContain('application/merge-patch+json');

    const patchAsPut = await api.call(
      'PUT',
      '/settings',
      { smsSenderActivated: true, version: before.version },
      { 'content-type': 'application/merge-patch+json' },
    );
    expect(patchAsPut.status).toBe(415);
    expect((await api.get('/settings')).body).toEqual(before);
  });
});

describe('PATCH /customers/{id}', () => {
  it('changes the mobile number and keeps the rest', async () => {
    const customer = await createCustomer(api, { optIn: { email: false, sms: true } });

    const res = await api.patch(`/customers/${customer.id}`, { mobile: '987 65 432', version: customer.version });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...customer, mobile: '+4798765432', version: 2, updatedAt: res.body.updatedAt });
  });
});

describe('PATCH /tasks/{id}', () => {
  let customerId: string;
  beforeAll(async () => {
    customerId = (await createCustomer(api)).id;
  });

  it('renames a task and keeps its notices and schedules: none is created again', async () => {
    const task = await createTask(api, customerId, { notices: [emailNotice(), emailNotice({ when: 'after', offset: 'P1D', repeat: { every: 7, times: 2 } })] });
    const schedules = stack.schedulesOf(TENANT, task.id);
    expect(schedules).toHaveLength(4);

    const res = await api.patch(`/tasks/${task.id}`, { title: 'MVA-melding 1. termin', version: task.version });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'MVA-melding 1. termin', notices: task.notices, deadline: task.deadline, version: 2 });
    // The same schedules, still carrying the plan version of the save that made them.
    expect(stack.schedulesOf(TENANT, task.id)).toEqual(schedules);
    expect((await api.get(`/tasks/${task.id}/plan`)).body.occurrences.map((o: { planVersion: number }) => o.planVersion)).toEqual([1, 1, 1, 1]);
  });

  it('replaces the notices as a whole when the patch names them', async () => {
    const task = await createTask(api, customerId, { notices: [emailNotice(), emailNotice({ offset: 'P1D' })] });
    const res = await api.patch(`/tasks/${task.id}`, { notices: [task.notices[1]], version: task.version });
    expect(res.body.notices).toEqual([task.notices[1]]);
    expect(stack.schedulesOf(TENANT, task.id)).toHaveLength(1);
  });

  it('refuses deadline: null on a task with notices: rule deadline-required', async () => {
    const task = await createTask(api, customerId);
    const res = await api.patch(`/tasks/${task.id}`, { deadline: null, version: task.version });
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['notices deadline-required']);
    expect((await api.get(`/tasks/${task.id}`)).body.deadline).toBe(task.deadline);
  });

  it('refuses a stale version with 409', async () => {
    const task = await createTask(api, customerId);
    await api.patch(`/tasks/${task.id}`, { title: 'First', version: task.version });
    const res = await api.patch(`/tasks/${task.id}`, { title: 'Second', version: task.version });
    expect(res.status).toBe(409);
    expect((await api.get(`/tasks/${task.id}`)).body.title).toBe('First');
  });
});
