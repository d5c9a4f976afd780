import { afterAll, beforeAll, expect, it } from 'vitest';
import { DeliveryError } from '../../shared/errors.ts';
import { SEND_WAIT_BUDGET_MS, SendPacer } from '../../shared/use-cases/send-pacing.ts';
import type { PaceTime } from '../../shared/use-cases/scheduler-pacing.ts';
import { TestClock } from '../integration/clock.ts';
import { startTestStack, type TestStack } from '../integration/harness.ts';

/**
 * On AWS each dispatch invocation running at once may be its own container, with its own
 * SendPacer; only the counters in the table are shared (the local stack runs one container, so
 * it never shows this). When more sends are in flight than the rate gives places within one
 * wait (SEND_WAIT_BUDGET_MS), a container's sends that find the next seconds full must be
 * refused without taking places past their wait: a place taken and never used is a second of
 * SES's rate lost, and the containers after it find those seconds full and reserve further
 * still, until no send has a place within its wait although nothing is being sent.
 */
const RATE = 1;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ clock: new TestClock(new Date('2030-03-01T09:00:00Z')) });
}, 60_000);
afterAll(() => stack.stop());

/** Time the test moves; a send's sleep to its place is noted, not slept. */
function movedTime(startMs: number): PaceTime & { set(ms: number): void; starts: number[] } {
  let now = startMs;
  const time = {
    starts: [] as number[],
    now: () => now,
    sleep: async (ms: number) => {
      time.starts.push(now + ms);
    },
    set: (ms: number) => {
      now = ms;
    },
  };
  return time;
}

/** A container's batch of `n` sends waiting for their places at once: how many got one. */
async function batch(pacer: SendPacer, time: PaceTime, n: number): Promise<number> {
  const deadline = time.now() + SEND_WAIT_BUDGET_MS;
  const results = await Promise.allSettled(Array.from({ length: n }, () => pacer.take(deadline)));
  for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DeliveryError);
  return results.filter((r) => r.status === 'fulfilled').length;
}

it('takes no place past a send’s wait: seconds no one sends in stay free for the next container', async () => {
  const lane = `attack13-${Date.now()}`;
  const t0 = Math.ceil(Date.now() / 1000) * 1000 + 3_600_000;
  const time = movedTime(t0);
  const container = () => new SendPacer(stack.sendingPorts.store, lane, RATE, time);

  // Three containers' batches of 10 fall due together: 30 sends, 13 places within a 12 s wait at 1/s.
  const placed = [await batch(container(), time, 10), await batch(container(), time, 10), await batch(container(), time, 10)];
  expect(placed.reduce((a, b) => a + b, 0)).toBe(SEND_WAIT_BUDGET_MS / 1000 + 1);
  const lastSend = Math.max(...time.starts);
  expect(lastSend).toBe(t0 + SEND_WAIT_BUDGET_MS);

  // A second later nothing is being sent, and nothing will be: the next container's send has a
  // place in the next second, not after the seconds the refused sends would have had.
  time.set(lastSend + 1000);
  expect(await batch(container(), time, 1)).toBe(1);
  expect(Math.max(...time.starts)).toBe(lastSend + 1000);
});
