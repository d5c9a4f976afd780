import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReliabilityStack, TENANT, type ReliabilityStack } from '../reliability/reliability-stack.ts';
import { titleFor } from '../reliability/figures.ts';

/**
 * ATTACK: an SMS goes out and is marked sent, but filing its record in S3 fails for a few
 * seconds (a blip). The design: "should filing fail, the next attempt finds the sent delivery
 * and files it". But if the task is completed (or deleted) before the message comes back,
 * the next attempt takes the completed-task path (`skipAll`), whose failed skip returns
 * `duplicate` without filing; a deleted task is ignored. The SMS is never filed, and the
 * sweep treats `sent` as final.
 *
 * Promise: "Every notice ends with a record you can read: sent (with the exact copy in the
 * customer's document center)"; outages of S3 are in the list of faults it survives.
 */

let stack: ReliabilityStack;

beforeAll(async () => {
  stack = await startReliabilityStack();
});
afterAll(() => stack.stop());

describe('an SMS sent while S3 blinks, whose task is completed right after', () => {
  it('still files the exact copy in the document center', async () => {
    const title = titleFor('unfiled sms', 0);
    const task = await stack.dueTask(title, ['sms']);
    // S3 refuses every request for the next few seconds: the SMS is sent and marked sent,
    // its record cannot be filed (three tries, each with the SDK's own retries).
    stack.s3Faults!.failNext(503, 'ServiceUnavailable', 50);
    stack.clock.advance(60_000);
    await stack.runDue();
    stack.s3Faults!.clear();
    expect(stack.sms.sent.filter((m) => m.text === `Husk ${title}.`)).toHaveLength(1);
    // The customer got the SMS and did the task; the firm marks it done.
    const completed = await stack.api.post(`/tasks/${task.id}/complete`);
    expect(completed.status).toBe(200);
    for (let i = 0; i < 3; i += 1) await stack.afterVisibilityTimeout();

    const [record] = await stack.ports.store.listDeliveries(TENANT, task.id);
    const documents = (await stack.api.get(`/documents?customerId=${stack.customerId}`)).body.items ?? [];
    expect({ state: record!.state, filed: record!.document !== undefined, listed: documents.some((d: { taskId: string }) => d.taskId === task.id) }).toEqual({
      state: 'sent',
      filed: true,
      listed: true,
    });
  });
});
