import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, fieldRules } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * A stolen token must not be able to send thousands of paid SMS: the firm's caps stop at the
 * deployment's ceiling, and a raise waits 24 hours (announced to the operator) while a
 * lowering is in force at once. Through HTTP, with the dispatch of real SMS.
 */
const clock = new TestClock(new Date('2027-05-03T06:00:00Z'));
const HOUR = 3_600_000;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ clock });
}, 60_000);
afterAll(() => stack.stop());

async function firm(tenant: string): Promise<ApiClient> {
  const api = await stack.as(tenant);
  const saved = await api.put('/settings', {
    smsAccount: { username: tenant, password: 'hemmelig' },
    quietHours: { enabled: false, start: '21:00', end: '08:00' },
    version: 0,
  });
  expect(saved.status).toBe(200);
  return api;
}

async function patchLimits(api: ApiClient, smsLimits: Record<string, unknown> | null) {
  const { version } = (await api.get('/settings')).body;
  return api.patch('/settings', { smsLimits, version });
}

describe("the deployment's ceiling", () => {
  it('refuses caps over it and a country it does not offer with 422, naming each field and the limit; nothing is written', async () => {
    const api = await stack.as('ceiling-over');
    const res = await api.put('/settings', { smsLimits: { perDay: 2_001, perNumberPerHour: 11, allowedCountries: ['NO', 'US'] }, version: 0 });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(fieldRules(res.body)).toEqual(['smsLimits.perDay max', 'smsLimits.perNumberPerHour max', 'smsLimits.allowedCountries.1 country-not-offered']);
    expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual([
      "must be at most 2000, this deployment's ceiling",
      "must be at most 10, this deployment's ceiling",
      'SMS to US are not offered by this deployment; it offers NO, SE, DK, FI, IS',
    ]);
    const read = await api.get('/settings');
    expect(read.body.version).toBe(0);
    expect(read.body.smsLimitsCeiling).toEqual({ perDay: 2_000, perNumberPerHour: 10, countries: ['NO', 'SE', 'DK', 'FI', 'IS'] });
    expect(stack.sms.sent).toHaveLength(0);
  });

  it('is read-only, as is a waiting raise: a save cannot set either, or a raise with an earlier time', async () => {
    const api = await stack.as('ceiling-read-only');
    const res = await api.put('/settings', {
      smsLimitsCeiling: { perDay: 100_000, perNumberPerHour: 100, countries: ['US'] },
      smsLimitsPending: {
        allowedCountries: ['US'],
        perDay: 100_000,
        perNumberPerHour: 100,
        requestedAt: '2027-01-01T00:00:00Z',
        effectiveAt: '2027-01-01T00:00:00Z',
      },
      version: 0,
    });
    expect(res.status).toBe(422);
    expect(fieldRules(res.body).sort()).toEqual(['smsLimitsCeiling unknown-field', 'smsLimitsPending unknown-field']);
  });

  it('refuses it through PATCH as well, before a change of time zone starts its job', async () => {
    const api = await firm('ceiling-patch');
    const before = (await api.get('/settings')).body;
    const res = await api.patch('/settings', { timeZone: 'Europe/Stockholm', smsLimits: { perDay: 100_000 }, version: before.version });
    expect(res.status).toBe(422);
    expect(fieldRules(res.body)).toEqual(['smsLimits.perDay max']);
    const read = await api.get('/settings');
    expect(read.body).toMatchObject({ version: before.version, timeZone: 'Europe/Oslo' });
    expect(read.body.timeZoneChange.jobId).toBe(before.timeZoneChange.jobId);
  });
});

describe('a raise of the SMS caps', () => {
  const TENANT = 'raise-waits';
  const SWEDISH = '+46701234567';
  let api: ApiClient;
  let raisedAt: Date;

  beforeAll(async () => {
    api = await firm(TENANT);
    stack.metrics.clear();
    raisedAt = clock.now();
  });

  it('waits 24 hours, shown as pending with its time, and is announced to the operator', async () => {
    const res = await patchLimits(api, { allowedCountries: ['NO', 'SE'], perDay: 1_000 });
    expect(res.status).toBe(200);
    const effectiveAt = new Date(raisedAt.getTime() + 24 * HOUR).toISOString();
    expect(res.body.smsLimits).toEqual({ allowedCountries: ['NO'], perDay: 500, perNumberPerHour: 5 });
    expect(res.body.smsLimitsPending).toEqual({
      allowedCountries: ['NO', 'SE'],
      perDay: 1_000,
      perNumberPerHour: 5,
      requestedAt: raisedAt.toISOString(),
      effectiveAt,
    });
    expect((await api.get('/settings')).body.smsLimitsPending).toEqual(res.body.smsLimitsPending);
    expect(stack.metrics.sum('SmsCapRaiseRequested')).toBe(1);
  });

  it('is not used by the guard before its time: an SMS to Sweden is skipped country-not-allowed', async () => {
    const customer = await createCustomer(api, { name: 'Svensk AB', email: undefined, mobile: SWEDISH });
    const deadline = new Date(raisedAt.getTime() + 2 * HOUR).toISOString().replace(/\.\d+Z$/, 'Z');
    const late = new Date(raisedAt.getTime() + 25 * HOUR).toISOString().replace(/\.\d+Z$/, 'Z');
    const soon = await createTask(api, customer.id, { deadline, notices: [{ when: 'before', offset: 'PT0S', channels: ['sms'], message: 'Husk fristen.' }] });
    expect((soon.warnings as { code: string }[]).map((w) => w.code)).toContain('sms-country-not-allowed');
    const task = await createTask(api, customer.id, {
      deadline: late,
      notices: [{ when: 'before', offset: 'PT0S', channels: ['sms'], message: 'Husk fristen.' }],
    });
    clock.set(deadline);
    await stack.runDue();
    expect(stack.sms.sent.filter((s) => s.to === SWEDISH)).toHaveLength(0);
    expect(stack.metrics.sum('NoticeSkipped', { Reason: 'country-not-allowed' })).toBe(1);

    clock.set(late);
    await stack.runDue();
    expect(stack.sms.sent.filter((s) => s.to === SWEDISH)).toHaveLength(1);
    const deliveries = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(deliveries.map((d: { state: string }) => d.state)).toEqual(['sent']);
  }, 120_000);

  it('is in force from its time: GET shows it as the limits, and nothing pending', async () => {
    const read = (await api.get('/settings')).body;
    expect(read.smsLimits).toEqual({ allowedCountries: ['NO', 'SE'], perDay: 1_000, perNumberPerHour: 5 });
    expect(read.smsLimitsPending).toBeUndefined();
    // A task saved now is warned against the limits in force, Sweden included.
    const customer = await createCustomer(api, { name: 'Svensk AB 2', email: undefined, mobile: '+46701234568' });
    const task = await createTask(api, customer.id, {
      deadline: '2027-06-01',
      notices: [{ when: 'before', offset: 'P1D', channels: ['sms'], message: 'Husk fristen.' }],
    });
    expect((task.warnings as { code: string }[]).map((w) => w.code)).not.toContain('sms-country-not-allowed');
  });
});

describe('a waiting raise', () => {
  it('keeps its time when another setting is saved, by PATCH or by PUT with the limits asked for', async () => {
    const api = await firm('raise-kept');
    const first = (await patchLimits(api, { perNumberPerHour: 8 })).body.smsLimitsPending;
    clock.advance(HOUR);
    const patched = await api.patch('/settings', { firm: { name: 'Ny AS' }, version: (await api.get('/settings')).body.version });
    expect(patched.body.smsLimitsPending).toEqual(first);
    const { firm: firmFields, quietHours, version } = patched.body;
    const put = await api.put('/settings', {
      firm: firmFields,
      quietHours,
      smsAccount: { username: 'raise-kept' },
      smsLimits: { perNumberPerHour: 8 },
      version,
    });
    expect(put.status).toBe(200);
    expect(put.body.smsLimits.perNumberPerHour).toBe(5);
    expect(put.body.smsLimitsPending).toEqual(first);
    expect(stack.metrics.sum('SmsCapRaiseRequested', {})).toBeGreaterThan(0);
  });

  it('is cancelled by a save of the limits in force, and by a lowering, which is in force at once', async () => {
    const api = await firm('raise-cancelled');
    const raised = await patchLimits(api, { allowedCountries: ['NO', 'DK'], perDay: 900 });
    expect(raised.body.smsLimitsPending).toBeDefined();
    const cancelled = await patchLimits(api, raised.body.smsLimits);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.smsLimitsPending).toBeUndefined();
    expect(cancelled.body.smsLimits).toEqual({ allowedCountries: ['NO'], perDay: 500, perNumberPerHour: 5 });

    await patchLimits(api, { perDay: 900 });
    const lowered = await patchLimits(api, { perDay: 50, perNumberPerHour: 2 });
    expect(lowered.body.smsLimits).toEqual({ allowedCountries: ['NO'], perDay: 50, perNumberPerHour: 2 });
    expect(lowered.body.smsLimitsPending).toBeUndefined();
    clock.advance(48 * HOUR);
    expect((await api.get('/settings')).body.smsLimits).toEqual({ allowedCountries: ['NO'], perDay: 50, perNumberPerHour: 2 });
  });

  it('is put off by a save that raises more: the wait starts again', async () => {
    const api = await firm('raise-more');
    const first = (await patchLimits(api, { perDay: 800 })).body.smsLimitsPending;
    clock.advance(20 * HOUR);
    const more = (await patchLimits(api, { perDay: 1_600 })).body.smsLimitsPending;
    expect(more.effectiveAt).toBe(new Date(Date.parse(first.effectiveAt) + 20 * HOUR).toISOString());
    clock.advance(5 * HOUR);
    expect((await api.get('/settings')).body.smsLimits.perDay).toBe(500);
  });

  it("of one firm leaves another firm's settings untouched", async () => {
    const thief = await firm('raise-tenant-a');
    const other = await firm('raise-tenant-b');
    const before = (await other.get('/settings')).body;
    expect((await patchLimits(thief, { perDay: 2_000, allowedCountries: ['NO', 'SE', 'DK', 'FI', 'IS'] })).status).toBe(200);
    const after = (await other.get('/settings')).body;
    expect(after.version).toBe(before.version);
    expect(after.smsLimits).toEqual(before.smsLimits);
    expect(after.smsLimitsPending).toBeUndefined();
  });

  it('is asked for once when two saves race: the loser gets 409 and changes nothing', async () => {
    const api = await firm('raise-race');
    stack.metrics.clear();
    const { version } = (await api.get('/settings')).body;
    const results = await Promise.all([
      api.patch('/settings', { smsLimits: { perDay: 700 }, version }),
      api.patch('/settings', { smsLimits: { perDay: 1_900 }, version }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!.body;
    expect((await api.get('/settings')).body.smsLimitsPending).toEqual(winner.smsLimitsPending);
    expect(stack.metrics.sum('SmsCapRaiseRequested')).toBe(1);
  });
});
