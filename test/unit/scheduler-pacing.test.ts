import { describe, expect, it } from 'vitest';
import { DependencyUnavailableError, ThrottledError } from '../../shared/errors.ts';
import { CallPacer, withThrottleBackoff, type PaceTime } from '../../shared/use-cases/scheduler-pacing.ts';

/** Time that passes only when someone sleeps: no test waits for real. */
function fakeTime(): PaceTime & { elapsed: number; sleeps: number[] } {
  const time = {
    elapsed: 0,
    sleeps: [] as number[],
    now: () => time.elapsed,
    sleep: async (ms: number) => {
      time.sleeps.push(ms);
      time.elapsed += ms;
    },
  };
  return time;
}

describe('the pacer of Scheduler calls', () => {
  it('lets a burst through at once, then one call per 1/rate seconds', async () => {
    const time = fakeTime();
    const pacer = new CallPacer(10, 10, time);
    for (let i = 0; i < 10; i += 1) await pacer.take();
    expect(time.elapsed).toBe(0);
    for (let i = 0; i < 20; i += 1) await pacer.take();
    expect(time.elapsed).toBeCloseTo(2000, 6);
  });

  it('keeps workers sharing it under the rate together', async () => {
    const time = fakeTime();
    const pacer = new CallPacer(5, 1, time);
    await Promise.all(Array.from({ length: 4 }, async () => Promise.all([pacer.take(), pacer.take(), pacer.take()])));
    // 12 calls, the first at once, then 11 at 5 a second.
    expect(time.elapsed).toBeGreaterThanOrEqual(2200 - 1e-6);
  });
});

describe('back-off from throttling', () => {
  const throttled = () => new ThrottledError('the scheduler is busy; retry shortly');

  it('tries again after 1, 2, 4 ... seconds (with jitter) until the call goes through', async () => {
    const time = fakeTime();
    let calls = 0;
    const result = await withThrottleBackoff(
      async () => {
        calls += 1;
        if (calls < 4) throw throttled();
        return 'done';
      },
      5,
      time,
    );
    expect(result).toBe('done');
    // Each wait is its base (1, 2, 4 s) times a jitter of 0.5 to 1.
    expect(time.sleeps.map((ms, i) => ms >= 2 ** i * 500 && ms <= 2 ** i * 1000)).toEqual([true, true, true]);
  });

  it('defers, rather than fails, what is still throttled after its last attempt', async () => {
    const time = fakeTime();
    expect(await withThrottleBackoff(() => Promise.reject(throttled()), 3, time)).toBe('deferred');
    expect(time.sleeps).toHaveLength(2);
  });

  it('throws any other error at once', async () => {
    const time = fakeTime();
    const broken = new DependencyUnavailableError('the scheduler is unavailable; retry shortly');
    await expect(withThrottleBackoff(() => Promise.reject(broken), 5, time)).rejects.toBe(broken);
    expect(time.sleeps).toEqual([]);
  });
});
