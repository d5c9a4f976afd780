import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeVersusFire, crashAt, replays, saveRaces } from './scenarios.ts';
import { startReliabilityStack, type CrashPoint, type ReliabilityStack } from './reliability-stack.ts';

let stack: ReliabilityStack;

beforeAll(async () => {
  stack = await startReliabilityStack();
});
afterAll(() => stack.stop());

describe('the delivery promise under faults', () => {
  it('sends each notice once however often its message is delivered', async () => {
    const figures = await replays(stack, 3, 20);
    expect(figures).toMatchObject({ due: 6, sent: 6, lost: 0, duplicated: 0 });
  });

  it.each<CrashPoint>(['before-claim', 'after-claim', 'after-filing'])('ends every notice sent, once, when dispatch dies %s', async (point) => {
    const figures = await crashAt(stack, point, 2);
    expect(stack.crash.happened.filter((p) => p === point)).toHaveLength(2);
    expect(figures).toMatchObject({ due: 4, sent: 4, lost: 0 });
    // The other channel of the dying invocation may be at its provider at that moment (an SMS
    // takes its cap units first, so on a loaded machine it often is): its copy is then sent
    // again, as after a crash after-provider, and every such second copy must be flagged.
    expect(figures.flagged).toBe(figures.duplicated);
  });

  it('sends again when dispatch dies after the provider accepted, and flags every second copy', async () => {
    const figures = await crashAt(stack, 'after-provider', 2);
    expect(figures).toMatchObject({ due: 4, sent: 4, lost: 0 });
    expect(figures.duplicated).toBeGreaterThan(0);
    expect(figures.flagged).toBe(figures.duplicated);
  });

  it('starts no send after a completion answered, except those the answer reported in flight (50 trials)', async () => {
    const figures = await completeVersusFire(stack, 50);
    expect(figures.late).toBe(0);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(figures.sent + figures.skipped).toBe(figures.due);
  });

  it('keeps the live schedules equal to the stored plan through racing, failing and replayed saves', async () => {
    const result = await saveRaces(stack, 5);
    expect(result.details).toEqual([]);
  });
});
