import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireAndHoldAtProvider, startAttackStack, type AttackStack } from './attack-stack.ts';

/**
 * ATTACK: POST /tasks/{id}/complete on a task that is already completed answers 200 at once
 * (tasks.ts: `if (current.status === status) return toTaskView(current, now)`), without
 * `inFlight` and without looking at the deliveries. A send under way is not reported, though
 * its provider call starts after this 2xx answer. That is what a client gets when it retries
 * a completion whose first answer it never received (a timeout), or when a colleague
 * completes the same task a moment later.
 *
 * Promise: "once POST /tasks/{id}/complete answered 2xx, no provider call for the removed
 * occurrences starts except those reported in the answer's inFlight".
 */

let stack: AttackStack;

beforeAll(async () => {
  stack = await startAttackStack();
});
afterAll(() => stack.stop());

describe('a completion repeated while the notice is being sent', () => {
  it('reports the send under way in the second answer too', async () => {
    const title = 'Complete twice';
    const task = await stack.dueTask(title, ['sms'], 60_000);
    const { firing, release } = await fireAndHoldAtProvider(stack);

    const first = await stack.api.post(`/tasks/${task.id}/complete`);
    // The first answer is lost to the client (a gateway timeout); it asks again.
    const second = await stack.api.post(`/tasks/${task.id}/complete`);
    const answeredAt = performance.now();
    release.open();
    await firing;

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const reported = (second.body.inFlight ?? []).map((f: { channel: string }) => f.channel);
    const late = stack.providerCalls.filter((c) => c.text.includes(title) && c.startedAt > answeredAt).map((c) => c.channel);
    expect({ late, unreported: late.filter((c) => !reported.includes(c)) }).toEqual({ late, unreported: [] });
  });
});
