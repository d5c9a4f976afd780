import { DeliveryError } from '../errors.ts';
import type { Mailer, SendBounds, SmsGateway, Store } from '../ports.ts';
import { realTime, type PaceTime } from './scheduler-pacing.ts';

/** Epoch time in milliseconds (the seconds of it are places shared by every dispatch invocation). */
export const wallTime: PaceTime = { now: () => Date.now(), sleep: (ms) => realTime.sleep(ms) };

/**
 * How long a send may wait in all, for its place and after throttles, within one invocation: its
 * last provider call may start at the end of it and take up to 13 s (SES: 3 s to connect, 10 s
 * for the answer, config.ts), and the attempt needs a few seconds for its reads, claims and
 * filing, all inside the function's 30 s; else the function could be stopped mid-call, the
 * outcome unknown and the claim left to its lease.
 */
export const SEND_WAIT_BUDGET_MS = 12_000;

/**
 * The deployment's rate toward one provider lane (SES, or the SMS gateway), shared by every
 * dispatch invocation through one counter item per second in the table:
 * ```
 * take() ─> (this container's waiting sends together) ADD n to PACE#lane / S#second ─> used
 *           places used-n .. used-1: those below perSecond go at second + place/perSecond;
 *           the rest try the next second
 * ```
 * So at most `perSecond` sends start in any second of the clock, spaced evenly when busy, however
 * many invocations run; one UpdateItem serves all the sends a container waits for at that moment.
 * A place is never given back: a send that does not use it (it failed, or was throttled) only
 * leaves that second one send short.
 */
export class SendPacer {
  /** Sends waiting for their place (none after `deadline`, epoch ms), told it or why there is none. */
  private waiting: Waiter[] = [];
  private reserving = false;
  /** The first second that may still have room, as far as this container knows. */
  private floorSecond = 0;
  /** When the floor was last raised (epoch ms): a clock now earlier than that stepped back. */
  private floorSetAt = 0;

  constructor(
    private readonly store: Pick<Store, 'reserveSendSlots'>,
    readonly lane: string,
    private readonly perSecond: number,
    readonly time: PaceTime = wallTime,
  ) {}

  /**
   * Hands out no place before `epochMs` in this container: the provider asked to be left alone
   * until then (a 429's `Retry-After`), and every send waiting here heeds it, not only the one
   * that was told.
   */
  holdUntil(epochMs: number): void {
    this.raiseFloor(Math.ceil(epochMs / 1000));
  }

  private raiseFloor(second: number): void {
    this.floorSecond = Math.max(this.floorSecond, second);
    this.floorSetAt = this.time.now();
  }

  /**
   * The first second to try now. A floor raised at a later clock reading than now was reckoned
   * by a clock that has since stepped back: kept, it would put every place past the wait and
   * refuse each send until the clock caught up, so it is forgotten (the shared counter still
   * keeps the rate).
   */
  private firstSecond(): number {
    const now = this.time.now();
    if (now < this.floorSetAt) this.floorSecond = 0;
    return Math.max(Math.floor(now / 1000), this.floorSecond);
  }

  /** Waits for this send's place. Throws a transient DeliveryError when the place is later than `deadline` (epoch ms). */
  async take(deadline: number): Promise<void> {
    // No place can come before now, nor before the floor (a Retry-After hold): refused without
    // reserving one it would leave unused, which would push the sends after it further back.
    if (Math.max(this.time.now(), this.firstSecond() * 1000) > deadline) throw this.noPlace();
    const at = await new Promise<number>((resolve, reject) => {
      this.waiting.push({ resolve, reject, deadline });
      void this.reserve();
    });
    if (at > deadline) throw this.noPlace();
    await this.time.sleep(Math.max(0, at - this.time.now()));
  }

  private noPlace(): DeliveryError {
    return new DeliveryError(`the ${this.lane} send rate has no place for this send in this attempt`, true, { code: 'send-rate' });
  }

  /** Reserves places for every waiting send, one UpdateItem per second touched; one run at a time. */
  private async reserve(): Promise<void> {
    if (this.reserving) return;
    this.reserving = true;
    try {
      // The sends that start waiting in this same turn (a batch's records side by side) share the first call.
      await Promise.resolve();
      while (this.waiting.length) {
        let pending = this.waiting.splice(0);
        while (pending.length) {
          const second = this.firstSecond();
          pending = this.refuseLate(pending, second);
          if (!pending.length) break;
          let used: number;
          try {
            used = await this.store.reserveSendSlots(this.lane, second, pending.length);
          } catch (error) {
            for (const waiter of pending) waiter.reject(error);
            break;
          }
          const first = used - pending.length;
          const fits = Math.max(0, Math.min(pending.length, this.perSecond - first));
          pending.slice(0, fits).forEach((waiter, i) => waiter.resolve(second * 1000 + ((first + i) * 1000) / this.perSecond));
          pending = pending.slice(fits);
          if (pending.length) this.raiseFloor(second + 1);
        }
      }
    } finally {
      this.reserving = false;
    }
  }

  /**
   * Refuses, without reserving, the sends whose wait ends before `second` begins. Reserved, their
   * places would go unused: seconds of the rate lost, and other containers, finding those seconds
   * full, would reserve past them in turn, until no send has a place within its wait although
   * nothing is being sent. A send whose wait ends within `second` may still get a place a little
   * past it (refused in take()): at most that second's places are lost.
   */
  private refuseLate(pending: Waiter[], second: number): Waiter[] {
    const timely = pending.filter((waiter) => waiter.deadline >= second * 1000);
    for (const waiter of pending) if (!timely.includes(waiter)) waiter.reject(this.noPlace());
    return timely;
  }
}

interface Waiter {
  resolve: (at: number) => void;
  reject: (error: unknown) => void;
  deadline: number;
}

/**
 * A provider call that waits for its place, and meets a throttle (the provider's real rate is
 * below the configured one, or something else sends on the account) by waiting for a later
 * place and calling again, within `SEND_WAIT_BUDGET_MS`, and never so late that the call,
 * taking up to `longestCallMs`, could outlast `bounds.endBy` (the invocation is stopped soon
 * after: a call cut off leaves its outcome unknown and its claim to the lease). A throttle is
 * the provider refusing the call, so nothing was sent and calling again sends no second copy.
 * Each throttle also reserves one place it leaves unused, so throttles slow every invocation
 * down a little. A throttle that says when to come back (`Retry-After`) holds the container's
 * places until then, or, when that is past the wait, ends the attempt at once rather than call
 * again at every place in between. Past the wait the send fails as transient (`send-rate`, or
 * the throttle itself) and dispatch retries it as it retries any transient failure.
 */
async function paced<T>(lane: PacedLane, isThrottle: (error: unknown) => boolean, call: () => Promise<T>, bounds: SendBounds = {}): Promise<T> {
  const { pacer, longestCallMs } = lane;
  const time = pacer.time;
  const deadline = Math.min(time.now() + SEND_WAIT_BUDGET_MS, (bounds.endBy ?? Infinity) - longestCallMs);
  for (;;) {
    await pacer.take(deadline);
    try {
      return await call();
    } catch (error) {
      if (!isThrottle(error) || time.now() >= deadline) throw error;
      const retryAfterMs = (error as DeliveryError).retryAfterMs;
      if (retryAfterMs === undefined) {
        await pacer.take(deadline).catch(() => undefined);
        continue;
      }
      pacer.holdUntil(time.now() + retryAfterMs);
      if (time.now() + retryAfterMs > deadline) throw error;
    }
  }
}

/**
 * A provider lane's pacer, with the longest its call may take once started (the provider's
 * timeouts: config.ts), which a send bounded by `endBy` must leave before it.
 */
export interface PacedLane {
  pacer: SendPacer;
  longestCallMs: number;
}

const throttleCode =
  (...codes: string[]) =>
  (error: unknown) =>
    error instanceof DeliveryError && codes.includes(error.code);

/** The mailer, paced to the deployment's SES rate (`SES_SENDS_PER_SECOND`). */
export function pacedMailer(mailer: Mailer, lane: PacedLane): Mailer {
  const throttled = throttleCode('ses-throttled');
  return { sendRaw: (email, bounds) => paced(lane, throttled, () => mailer.sendRaw(email), bounds) };
}

/** The SMS gateway, paced to the deployment's rate for it (`SMS_SENDS_PER_SECOND`); a 429 is its throttle. */
export function pacedSmsGateway(gateway: SmsGateway, lane: PacedLane): SmsGateway {
  const throttled = throttleCode('sms-http-429');
  return { send: (message, bounds) => paced(lane, throttled, () => gateway.send(message), bounds) };
}
