import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileSchedules } from '../../shared/use-cases/reconcile-schedules.ts';
import { startReliabilityStack, TENANT, type ReliabilityStack } from '../reliability/reliability-stack.ts';
import { titleFor } from '../reliability/figures.ts';

/**
 * ATTACK: the send the completion (or delete) answer reports in `inFlight` reaches the
 * provider, and then its dispatch dies before it marks the delivery sent (a crash, a Lambda
 * timeout, a DynamoDB outage right after SES accepted). The customer has the notice.
 * - completed task: the next receive finds the task completed and `recordSkip` overwrites
 *   the dead claim: the record says `skipped task-completed`, with no hint that it may
 *   have gone out, and the copy is not in the document center.
 * - deleted task: the next receive finds no task and ignores it: the delivery stays
 *   `claimed` for ever (the reliability figures count that as *lost*).
 *
 * Promise: "Every notice ends with a record you can read: sent (with the exact copy in the
 * customer's document center), skipped and why, or failed and why"; "nothing stays pending
 * for ever".
 */

let stack: ReliabilityStack;

beforeAll(async () => {
  stack = await startReliabilityStack();
});
afterAll(() => stack.stop());

async function sentThenDied(title: string) {
  const task = await stack.dueTask(title, ['email']);
  stack.crash.arm('after-provider');
  stack.clock.advance(60_000);
  await stack.runDue();
  expect(stack.crash.happened.at(-1)).toBe('after-provider');
  return task;
}

const emailsOf = async (title: string) => (await stack.outbox()).emails.filter((e) => e.subject === `Frist: ${title}`).length;

describe('a reported in-flight send whose attempt dies after the provider accepted', () => {
  it('is not recorded as skipped when the task was completed (the customer has it)', async () => {
    const title = titleFor('completed after send', 0);
    const task = await sentThenDied(title);
    const answer = await stack.api.post(`/tasks/${task.id}/complete`);
    expect(answer.body.inFlight.map((f: { channel: string }) => f.channel)).toEqual(['email']);
    for (let i = 0; i < 3; i += 1) await stack.afterVisibilityTimeout();

    expect(await emailsOf(title)).toBe(1);
    const [record] = await stack.ports.store.listDeliveries(TENANT, task.id);
    // The customer got the e-mail: the record may say sent, or flag that it may have gone
    // out; it must not say "skipped: task completed" as if nothing was sent.
    expect({ state: record!.state, reason: record!.reason, flagged: record!.possibleDuplicate === true }).not.toMatchObject({
      state: 'skipped',
      flagged: false,
    });
  });

  it('does not stay claimed for ever when the task was deleted', async () => {
    const title = titleFor('deleted after send', 0);
    const task = await sentThenDied(title);
    const answer = await stack.api.delete(`/tasks/${task.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body.inFlight).toHaveLength(1);
    for (let i = 0; i < 3; i += 1) await stack.afterVisibilityTimeout();
    stack.clock.advance(48 * 3_600_000);
    await reconcileSchedules(stack.reconcilerPorts, { horizonHours: 3, graceMinutes: 15 });
    await stack.afterVisibilityTimeout();

    const [record] = await stack.ports.store.listDeliveries(TENANT, task.id);
    expect(['sent', 'skipped', 'failed']).toContain(record!.state);
  });

  it('is not recorded as failed too-late when the dying attempt had sent it (the lateness limit passed meanwhile)', async () => {
    const settings = (await stack.api.get('/settings')).body;
    const saved = await stack.api.put('/settings', {
      firm: settings.firm,
      timeZone: settings.timeZone,
      emailSender: settings.emailSender,
      smsAccount: { username: settings.smsAccount.username },
      smsSenderActivated: settings.smsSenderActivated,
      maxLatenessHours: 1,
      version: settings.version,
    });
    expect(saved.status).toBe(200);
    stack.clock.advance(120_000); // past dispatch's 60 s settings cache
    const title = titleFor('late crash', 0);
    const task = await stack.dueTask(title, ['email']);
    // SES throttles for most of the hour: the notice is retried every 3 minutes.
    stack.sesFaults!.failNext(400, 'ThrottlingException', 19);
    stack.clock.advance(60_000);
    await stack.runDue();
    for (let i = 0; i < 18; i += 1) await stack.afterVisibilityTimeout();
    stack.sesFaults!.clear();
    // At 58 minutes SES takes the e-mail, and the function dies before it marks it sent.
    stack.clock.advance(60_000);
    stack.crash.arm('after-provider');
    await stack.afterVisibilityTimeout();
    expect(stack.crash.happened.at(-1)).toBe('after-provider');
    for (let i = 0; i < 3; i += 1) await stack.afterVisibilityTimeout();

    expect(await emailsOf(title)).toBe(1);
    const [record] = await stack.ports.store.listDeliveries(TENANT, task.id);
    // The customer has it: "failed, too late" with no flag tells the firm it never went out.
    expect({ state: record!.state, flagged: record!.possibleDuplicate === true }).not.toMatchObject({ state: 'failed', flagged: false });
  });
});
