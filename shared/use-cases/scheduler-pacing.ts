import { ThrottledError } from '../errors.ts';
import type { SchedulerPort } from '../ports.ts';

/** Real time, for pacing calls (the business clock, Ports.clock, may stand still in tests). */
export interface PaceTime {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTime: PaceTime = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A token bucket: calls start at most `perSecond` a second on average, `burst` at once after
 * a pause. Each waiter takes its token when it wakes, so workers sharing one pacer together
 * stay under the rate.
 */
export class CallPacer {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst = Math.max(1, Math.floor(perSecond)),
    private readonly time: PaceTime = realTime,
  ) {
    this.tokens = burst;
    this.last = time.now();
  }

  async take(): Promise<void> {
    for (;;) {
      const now = this.time.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.time.sleep(((1 - this.tokens) * 1000) / this.perSecond);
    }
  }
}

/** The Scheduler with every call waiting for the pacer's token first. */
export function pacedScheduler(scheduler: SchedulerPort, pacer: CallPacer): SchedulerPort {
  const paced =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await pacer.take();
      return call(...args);
    };
  return {
    create: paced((spec) => scheduler.create(spec)),
    delete: paced((name) => scheduler.delete(name)),
    list: paced((prefix) => scheduler.list(prefix)),
  };
}

/**
 * Runs `work` again after a throttled call, waiting 1, 2, 4, ... seconds (with jitter, so
 * workers throttled together do not return together), at most `attempts` times in all.
 * Returns 'deferred' when the service still refuses: the caller leaves that work to its next
 * run instead of calling it a failure. Any other error is thrown at once.
 */
export async function withThrottleBackoff<T>(work: () => Promise<T>, attempts: number, time: PaceTime = realTime): Promise<T | 'deferred'> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ThrottledError)) throw error;
      if (attempt >= attempts) return 'deferred';
      await time.sleep(2 ** (attempt - 1) * 1000 * (0.5 + Math.random() / 2));
    }
  }
}
