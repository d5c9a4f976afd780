import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer, SendingPorts } from '../../shared/ports.ts';
import { TestClock } from './clock.ts';
import { createCustomer, createTask, emailNotice } from './fixtures.ts';
import { startTestStack, type TestStack } from './harness.ts';

/**
 * The 09:00 burst (issue 12): many firms' notices fall due in the same minute, and SES takes
 * them only at the account's rate. The SES stand-in refuses sends above SES_LIMIT a second with
 * SES's ThrottlingException; the deployment's pacer is set above that limit on purpose, so
 * throttles happen and must be absorbed: every notice sent once, none failed, none dead-lettered.
 */
const SES_LIMIT = 20;
const PACED_AT = 25;
const BIG = { tenant: 'firm-big', notices: 300 };
const SMALL = { tenant: 'firm-small', notices: 20 };
const DUE = '2030-02-07T08:00:00Z';
const CONCURRENCY = 4;

const clock = new TestClock(new Date('2030-02-01T10:00:00Z'));
let stack: TestStack;
/** The big firm's sends that die before the provider call (a crashed invocation), by their turn in the burst. */
const crashTurns = new Set([30, 31, 32, 90, 150]);
let sendTurn = 0;

/** The mailer of an invocation that dies at some turns, before SES was called: nothing sent, the message comes back. */
function crashing(mailer: Mailer): Mailer {
  return {
    sendRaw: async (email) => {
      // Only the big firm's: a small firm's notice sent again after the visibility timeout would come last by design.
      if (email.tags.tenantId === BIG.tenant && crashTurns.has((sendTurn += 1))) throw new Error('the invocation died');
      return mailer.sendRaw(email);
    },
  };
}

async function firm({ tenant, notices }: { tenant: string; notices: number }): Promise<string[]> {
  const api = await stack.as(tenant);
  await api.put('/settings', { firm: { name: tenant }, emailSender: { from: `${tenant}@tallogtid.example` }, version: 0 });
  const customer = await createCustomer(api, { name: `Kunde av ${tenant}`, email: `post@kunde.${tenant}.example` });
  const titles = Array.from({ length: notices }, (_, i) => `${tenant} oppgave ${i}`);
  for (let i = 0; i < titles.length; i += 10) {
    await Promise.all(
      titles
        .slice(i, i + 10)
        .map((title) => createTask(api, customer.id, { title, deadline: '2030-02-10', notices: [emailNotice({ subject: '{{task.title}}' })] })),
    );
  }
  return titles;
}

beforeAll(async () => {
  stack = await startTestStack({
    clock,
    sesMaxSendRate: SES_LIMIT,
    // Four batches of 10 at once: enough in flight for SQS to see a noisy neighbour (30), little
    // enough that a loaded test machine's slowest record does not blur the order.
    schedulerConcurrency: CONCURRENCY,
    env: { SES_SENDS_PER_SECOND: String(PACED_AT), SMS_SENDS_PER_SECOND: '10' },
    wrapSendingPorts: (ports: SendingPorts) => ({ ...ports, mailer: crashing(ports.mailer) }),
  });
}, 60_000);
afterAll(() => stack.stop());

describe('the 09:00 burst', () => {
  it('sends every notice of two firms once, paced, throttles absorbed, a crash losing nothing, the small firm first', async () => {
    // The big firm's schedules are made first, so they fire first: without fairness the small firm's come last.
    const big = await firm(BIG);
    const small = await firm(SMALL);
    const titles = [...big, ...small];
    clock.set(DUE);
    await stack.runDue();
    // Messages of the crashed invocations come back after the visibility timeout.
    for (let round = 0; round < 3 && stack.dispatchQueue.list().length; round += 1) {
      clock.advance(181_000);
      await stack.runDue();
    }

    const subjects = (await stack.outbox()).emails.map((e) => e.subject);
    expect(subjects).toHaveLength(titles.length);
    expect(new Set(subjects).size).toBe(titles.length);
    expect(stack.dispatchQueue.list()).toHaveLength(0);
    expect(stack.dispatchDeadLetters.list()).toHaveLength(0);
    expect(stack.metrics.sum('NoticeFailed')).toBe(0);
    // The pacer was set above the stand-in's rate: SES refused some sends, and none of them cost a notice.
    expect(stack.sesFaults!.throttled).toBeGreaterThan(0);
    expect(stack.metrics.sum('NoticeRetried', { Reason: 'ses-throttled' })).toBe(0);
    expect(stack.metrics.sum('NoticeRetried', { Reason: 'internal' })).toBe(crashTurns.size);
    expect(sendTurn).toBeGreaterThan(BIG.notices);

    // Fair: the small firm's notices wait for what was in flight when they fell due (CONCURRENCY
    // batches of the big firm's) and for each other, not for the big firm's backlog: all of them
    // out before half of it (without the fair queue they come last, after all 300).
    const lastSmall = Math.max(...small.map((title) => subjects.indexOf(title)));
    const bigBefore = subjects.slice(0, lastSmall).filter((subject) => subject.startsWith(BIG.tenant)).length;
    expect(bigBefore).toBeLessThan(BIG.notices / 2);
  }, 180_000);

  it('calls an SMS gateway that asked for a minute of quiet (429, Retry-After: 60) once, not at every place: the SMS goes back to the queue', async () => {
    const api = await stack.as('firm-sms-quiet');
    await api.put('/settings', { smsAccount: { username: 'quiet', password: 'hemmelig' }, version: 0 });
    const customer = await createCustomer(api, { mobile: '91237001' });
    const at = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const task = await createTask(api, customer.id, { deadline: at, notices: [emailNotice({ offset: 'PT0S', channels: ['sms'] })] });
    stack.sms.failNext(429, 100, 'too many requests', { 'retry-after': '60' });
    const before = stack.sms.requests;
    clock.advance(60_000);
    await stack.runDue();
    expect(stack.sms.requests - before).toBe(1);
    const [delivery] = (await api.get(`/tasks/${task.id}/deliveries`)).body.items;
    expect(delivery).toMatchObject({ channel: 'sms', state: 'pending', code: 'sms-http-429' });
    stack.sms.clear();
  });
});
