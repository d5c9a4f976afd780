import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downAcrossDueTimes, lostAnswers, outage, type Dependency } from './outages.ts';
import { startReliabilityStack, type ReliabilityStack } from './reliability-stack.ts';

let stack: ReliabilityStack;

beforeAll(async () => {
  stack = await startReliabilityStack();
});
afterAll(() => stack.stop());

describe('the delivery promise through outages', () => {
  it.each<Dependency>(['ses', 'sms', 's3', 'dynamodb'])('sends every notice once after %s was down for 6 hours', async (dependency) => {
    const figures = await outage(stack, dependency, 6, 2);
    expect(figures).toMatchObject({ due: 4, sent: 4, lost: 0, duplicated: 0, flaggedSingle: 0 });
  });

  it('retries a send whose answer was lost, and flags each second copy', async () => {
    const figures = await lostAnswers(stack, 2);
    expect(figures).toMatchObject({ due: 4, sent: 4, lost: 0 });
    expect(figures.duplicated).toBe(4);
    expect(figures.flagged).toBe(figures.duplicated);
  });

  it('sends what fell due while the stack was down after it restarts, and records older ones too late', async () => {
    const figures = await downAcrossDueTimes(stack, 8);
    expect(figures.lost).toBe(0);
    expect(figures.duplicated).toBe(0);
    expect(figures.tooLate).toBeGreaterThan(0);
    expect(figures.sent).toBeGreaterThan(0);
    expect(figures.sent + figures.skipped + figures.failed).toBe(figures.due);
  });
});
