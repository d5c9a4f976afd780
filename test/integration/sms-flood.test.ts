import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReconcilerHandler } from '../../functions/reconciler/app.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask } from './fixtures.ts';
import { startTestStack, type ApiClient, type TestStack } from './harness.ts';

/**
 * SMS pumping (OWASP API6): a flood of SMS planned through the API, by many tasks and
 * notices, ends with the fake gateway's counts within the caps, none to a country the firm
 * does not allow, and every SMS not sent recorded as a skipped delivery with its reason.
 */
const clock = new TestClock(new Date('2027-02-20T08:00:00Z'));
const DEPLOYMENT_PER_DAY = 30;

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ clock, env: { SMS_DEPLOYMENT_PER_DAY: String(DEPLOYMENT_PER_DAY) }, schedulerConcurrency: 10 });
}, 60_000);
afterAll(() => stack.stop());

const smsNotice = (offset: string, repeat?: { every: number; times: number }) => ({
  when: 'after',
  offset,
  channels: ['sms'],
  message: 'Husk {{task.title}}.',
  ...(repeat ? { repeat } : {}),
});

async function firm(tenant: string, smsLimits?: Record<string, unknown>, more: Record<string, unknown> = {}): Promise<ApiClient> {
  const api = await stack.as(tenant);
  const saved = await api.put('/settings', {
    smsAccount: { username: tenant, password: 'hemmelig' },
    ...(smsLimits ? { smsLimits } : {}),
    ...more,
    version: 0,
  });
  expect(saved.status).toBe(200);
  return api;
}

/** Moves the clock to each instant in turn and lets everything due go out. */
async function runThrough(instants: string[]) {
  for (const at of instants) {
    clock.set(at);
    await stack.runDue();
  }
}

/** The reconciler's sweep at `at`, as it runs every few minutes: it hands back SMS held for later. */
async function reconcileAt(at: string) {
  clock.set(at);
  await createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 48, graceMinutes: 0 })({}, {} as never);
}

/** Every delivery of the tasks, as the API lists them. */
async function deliveriesOf(api: ApiClient, taskIds: string[]) {
  const lists = await Promise.all(taskIds.map(async (id) => (await api.get(`/tasks/${id}/deliveries`)).body.items as Record<string, any>[]));
  return lists.flat();
}

/** `state reason code` of each delivery, counted. */
function tally(deliveries: Record<string, any>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of deliveries) {
    const key = [d.state, d.state === 'skipped' ? d.reason : undefined, d.state === 'skipped' ? d.code : undefined].filter(Boolean).join(' ');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const days = (first: string, count: number) => Array.from({ length: count }, (_, i) => new Date(Date.parse(first) + i * 86_400_000).toISOString());

describe('a flood of 1,040 SMS to one number (8 tasks of 10 notices, each repeated daily 12 times)', () => {
  const TENANT = 'pump-one';
  const NUMBER = '+4791111111';
  let api: ApiClient;
  const taskIds: string[] = [];

  beforeAll(async () => {
    // The per-number cap holds an SMS over it for the next hour, until it is later than the
    // firm's maximum lateness (here 1 hour, so that the flood ends within the test; with the
    // default 24 h, 5 more an hour would go out through the day).
    api = await firm(TENANT, undefined, { maxLatenessHours: 1 });
    const customer = await createCustomer(api, { name: 'Målet AS', mobile: NUMBER });
    // Ten notices a minute apart, after a deadline at 10:00 Oslo time: 80 SMS in one hour a day.
    const notices = Array.from({ length: 10 }, (_, i) => smsNotice(`PT${i + 1}M`, { every: 1, times: 12 }));
    for (let i = 0; i < 8; i++) {
      const task = await createTask(api, customer.id, { title: `Oppgave ${i}`, deadline: '2027-03-01T10:00:00+01:00', notices });
      taskIds.push(task.id);
    }
    stack.metrics.clear();
    await runThrough(days('2027-03-01T09:30:00Z', 13));
    // The held SMS come back, past the lateness now: each ends skipped, never sent.
    await reconcileAt('2027-03-13T10:30:00Z');
    await runThrough(['2027-03-13T10:31:00Z']);
  }, 600_000);

  it('sends at most the per-number cap (5) in any hour: 5 a day, 65 in all', async () => {
    expect(stack.sms.sent.filter((s) => s.to === NUMBER)).toHaveLength(65);
    // The gateway stand-in stamps real time; the sends' hours are the injected clock's.
    const sent = (await deliveriesOf(api, taskIds)).filter((d) => d.state === 'sent');
    const perHour = new Map<string, number>();
    for (const d of sent) perHour.set(d.sentAt.slice(0, 13), (perHour.get(d.sentAt.slice(0, 13)) ?? 0) + 1);
    expect([...perHour.values()]).toEqual(Array(13).fill(5));
  });

  it('records every SMS not sent as skipped rate-limited per-number-hour, and none pending', async () => {
    const deliveries = await deliveriesOf(api, taskIds);
    expect(deliveries).toHaveLength(1_040);
    expect(tally(deliveries)).toEqual({ sent: 65, 'skipped rate-limited per-number-hour': 975 });
  });

  it('counts each SMS the cap turned away (held, then skipped) in the metrics: SmsRateLimited by its rule, NoticeSkipped', () => {
    expect(stack.metrics.sum('SmsRateLimited', { Rule: 'per-number-hour' })).toBe(975);
    expect(stack.metrics.sum('NoticeSkipped', { Reason: 'rate-limited' })).toBe(975);
    expect(stack.metrics.sum('NoticeSent', { Channel: 'sms' })).toBe(65);
  });

  it('sends nothing more when every message comes again in a fresh hour, or the reconciler looks: a skip over a cap is final', async () => {
    const sentBefore = stack.sms.sent.length;
    const recordsBefore = tally(await deliveriesOf(api, taskIds));
    // Copies of every message of the flood, as SQS may deliver one again, in the next hour of the last day.
    clock.set('2027-03-13T10:45:00Z');
    for (const taskId of taskIds) {
      const plan = (await api.get(`/tasks/${taskId}/plan`)).body;
      for (const o of plan.occurrences) {
        stack.dispatchQueue.send(JSON.stringify({ tenantId: TENANT, taskId, noticeId: o.noticeId, occurrenceAt: o.at, planVersion: o.planVersion }));
      }
    }
    await stack.runDue();
    await createReconcilerHandler(stack.reconcilerPorts, stack.telemetry.reconciler, { horizonHours: 48, graceMinutes: 0 })({}, {} as never);
    await stack.runDue();
    expect(stack.sms.sent.length).toBe(sentBefore);
    expect(tally(await deliveriesOf(api, taskIds))).toEqual(recordsBefore);
  }, 300_000);
});

describe('a flood of SMS to 200 foreign numbers: 100 Swedish (allowed), 50 British and 50 Latvian (not), on two days', () => {
  const TENANT = 'pump-abroad';
  let api: ApiClient;
  const taskIds: string[] = [];
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const numbers = [
    ...Array.from({ length: 100 }, (_, i) => `+4670${pad(1_000_000 + i, 7)}`),
    ...Array.from({ length: 50 }, (_, i) => `+447911${pad(100_000 + i, 6)}`),
    ...Array.from({ length: 50 }, (_, i) => `+3712${pad(1_000_000 + i, 7)}`),
  ];
  const byCountry = () => {
    const counts: Record<string, number> = {};
    for (const sms of stack.sms.sent.filter((s) => s.username === TENANT)) counts[sms.to.slice(0, 3)] = (counts[sms.to.slice(0, 3)] ?? 0) + 1;
    return counts;
  };

  beforeAll(async () => {
    api = await firm(TENANT, { allowedCountries: ['no', 'SE'], perDay: 20 });
    for (const [i, mobile] of numbers.entries()) {
      const customer = await createCustomer(api, { name: `Kunde ${i}`, email: undefined, mobile });
      const task = await createTask(api, customer.id, { deadline: '2027-04-05T10:00:00+02:00', notices: [smsNotice('PT5M', { every: 1, times: 1 })] });
      taskIds.push(task.id);
    }
    stack.metrics.clear();
  }, 300_000);

  it("day 1: the firm's cap of 20 a day holds, and nothing goes to a country the firm does not allow", async () => {
    await runThrough(['2027-04-05T08:30:00Z']);
    expect(byCountry()).toEqual({ '+46': 20 });
  }, 120_000);

  it("day 2, the firm's cap raised to 100: the deployment's cap of 30 a day holds", async () => {
    const settings = (await api.get('/settings')).body;
    expect((await api.patch('/settings', { smsLimits: { perDay: 100 }, version: settings.version })).status).toBe(200);
    await runThrough(['2027-04-06T08:30:00Z']);
    expect(byCountry()).toEqual({ '+46': 20 + DEPLOYMENT_PER_DAY });
  }, 120_000);

  it('records every SMS not sent as skipped with its reason and the cap it met', async () => {
    const deliveries = await deliveriesOf(api, taskIds);
    expect(deliveries).toHaveLength(400);
    expect(tally(deliveries)).toEqual({
      sent: 50,
      'skipped country-not-allowed': 200,
      'skipped rate-limited per-day': 80,
      'skipped rate-limited deployment-per-day': 70,
    });
    expect(stack.metrics.sum('NoticeSkipped', { Reason: 'country-not-allowed' })).toBe(200);
    expect(stack.metrics.sum('SmsRateLimited', { Rule: 'per-day' })).toBe(80);
    expect(stack.metrics.sum('SmsRateLimited', { Rule: 'deployment-per-day' })).toBe(70);
  });

  it('marks the register rows of the skipped SMS for the firm to act on', async () => {
    const rows = (await api.get('/tasks?limit=100')).body.items as { attention?: { code: string } }[];
    const codes = new Set(rows.map((r) => r.attention?.code));
    expect([...codes].sort()).toEqual(['country-not-allowed', 'rate-limited', undefined].sort());
  });
});

describe('a retry of an SMS the gateway could not take', () => {
  it('takes no second unit of the cap: two SMS in one hour under a cap of 2 both go out after the gateway failed them once', async () => {
    const TENANT = 'retry-firm';
    const api = await firm(TENANT, { perNumberPerHour: 2 });
    const customer = await createCustomer(api, { mobile: '+4792222222' });
    const task = await createTask(api, customer.id, { deadline: '2027-05-03T10:00:00+02:00', notices: [smsNotice('PT1M'), smsNotice('PT2M')] });
    stack.sms.failNext(503, 2);
    await runThrough(['2027-05-03T08:03:00Z', '2027-05-03T08:07:00Z', '2027-05-03T08:11:00Z']);
    const deliveries = await deliveriesOf(api, [task.id]);
    expect(deliveries.map((d) => [d.state, d.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
    ]);
    expect(stack.sms.sent.filter((s) => s.to === '+4792222222')).toHaveLength(2);
  }, 60_000);
});

describe('parallel takes of one counter', () => {
  it('grant exactly the cap, however many dispatch invocations race for it', async () => {
    const counter = { limit: 'per-day', id: 'per-day#2099-01-01', scope: 'tenant', cap: 5, expiresAt: 4_070_995_200 } as const;
    const granted = await Promise.all(Array.from({ length: 40 }, (_, i) => stack.sendingPorts.store.takeSmsUnit('race-firm', counter, `token-${i}`)));
    expect(granted.filter(Boolean)).toHaveLength(5);
  });

  it("take nothing more on the SDK's retry of a take whose answer was lost (the same token): it is told the unit was taken", async () => {
    const counter = { limit: 'per-number-hour', id: 'per-number-hour#x#2099-01-01T10', scope: 'tenant', cap: 3, expiresAt: 4_070_995_200 } as const;
    const take = (token: string) => stack.sendingPorts.store.takeSmsUnit('retry-token-firm', counter, token);
    expect([await take('a'), await take('a'), await take('b'), await take('c'), await take('d')]).toEqual([true, true, true, true, false]);
  });
});

describe('saves that would go over the caps warn', () => {
  it('names an SMS to a country the firm does not allow, and a plan with more SMS in one hour than the per-number cap', async () => {
    const api = await firm('warn-firm');
    const abroad = await createCustomer(api, { mobile: '+46701234567' });
    const home = await createCustomer(api, { mobile: '+4793333333' });
    const deadline = '2027-06-07T10:00:00+02:00';
    const toAbroad = await createTask(api, abroad.id, { deadline, notices: [smsNotice('PT1M')] });
    expect(toAbroad.warnings).toEqual([expect.objectContaining({ code: 'sms-country-not-allowed', field: 'notices.0.channels' })]);
    const six = Array.from({ length: 6 }, (_, i) => smsNotice(`PT${i + 1}M`));
    const busy = await createTask(api, home.id, { deadline, notices: six });
    expect(busy.warnings).toEqual([expect.objectContaining({ code: 'sms-over-cap', field: 'notices' })]);
    const five = await createTask(api, home.id, { deadline, notices: six.slice(0, 5) });
    expect(five.warnings).toEqual([]);
  });
});

describe('quiet hours gather a customer’s night SMS at their end: the per-number cap spreads them over the next hours', () => {
  const NUMBER = '+4794444444';
  const atNight = (api: ApiClient, customerId: string, i: number) =>
    createTask(api, customerId, { title: `Nattoppgave ${i}`, deadline: '2027-10-05T02:00:00+02:00', notices: [smsNotice(`PT${i + 1}M`)] });
  const smsOf = async (api: ApiClient, taskIds: string[]) => deliveriesOf(api, taskIds);

  it('sends 7 SMS planned between 02:01 and 02:07 as 5 at 08:00 and 2 at 09:00 (Oslo); none lost', async () => {
    const api = await firm('night-firm');
    const customer = await createCustomer(api, { mobile: NUMBER });
    const taskIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      const task = await atNight(api, customer.id, i);
      // Each task alone is within the caps: a save does not read the customer's other tasks.
      expect(task.warnings).toEqual([]);
      taskIds.push(task.id);
    }
    stack.metrics.clear();
    await runThrough(['2027-10-05T06:00:30Z']);
    const first = await smsOf(api, taskIds);
    expect(first.filter((d) => d.state === 'sent')).toHaveLength(5);
    const held = first.filter((d) => d.state !== 'sent');
    expect(held.map((d) => [d.state, d.code, d.reason])).toEqual(
      Array(2).fill(['pending', 'per-number-hour', 'held by the per-number hourly SMS cap until 2027-10-05T07:00:00Z']),
    );
    expect(stack.metrics.sum('SmsRateLimited', { Rule: 'per-number-hour' })).toBe(2);

    await reconcileAt('2027-10-05T06:05:00Z');
    await runThrough(['2027-10-05T06:59:00Z']);
    expect(stack.sms.sent.filter((s) => s.to === NUMBER)).toHaveLength(5);
    await runThrough(['2027-10-05T07:00:00Z']);
    const sent = (await smsOf(api, taskIds)).filter((d) => d.state === 'sent');
    expect(sent).toHaveLength(7);
    expect(sent.filter((d) => d.sentAt.startsWith('2027-10-05T07'))).toHaveLength(2);
    expect(stack.sms.sent.filter((s) => s.to === NUMBER)).toHaveLength(7);
    expect(stack.metrics.sum('NoticeSkipped', { Reason: 'rate-limited' })).toBe(0);
  }, 120_000);

  it('holds an SMS hour after hour while the number has its cap, and ends it skipped rate-limited once past the maximum lateness', async () => {
    const api = await firm('held-too-long', { perNumberPerHour: 1 }, { maxLatenessHours: 1 });
    const customer = await createCustomer(api, { mobile: '+4794444445' });
    const task = await createTask(api, customer.id, {
      deadline: '2027-10-06T12:30:00+02:00',
      notices: [smsNotice('PT0S'), smsNotice('PT1M'), smsNotice('PT2M')],
    });
    await runThrough(['2027-10-06T10:32:00Z']);
    await reconcileAt('2027-10-06T11:00:00Z');
    await runThrough(['2027-10-06T11:01:00Z']);
    await reconcileAt('2027-10-06T12:00:00Z');
    await runThrough(['2027-10-06T12:01:00Z']);
    const deliveries = await deliveriesOf(api, [task.id]);
    // Which of the two held ones gets the second hour's SMS is a race; the outcome is not.
    expect(deliveries.map((d) => [d.state, d.sentAt?.slice(11, 13) ?? d.reason, d.code]).sort()).toEqual([
      ['sent', '10', undefined],
      ['sent', '11', undefined],
      ['skipped', 'rate-limited', 'per-number-hour'],
    ]);
    expect(stack.sms.sent.filter((s) => s.to === '+4794444445')).toHaveLength(2);
  }, 120_000);
});
