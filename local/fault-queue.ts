/** Faults a stand-in applies to its next requests, each to a number of them, in order. */
export class FaultQueue<T> {
  private queued: { fault: T; remaining: number }[] = [];

  add(fault: T, times: number): void {
    this.queued.push({ fault, remaining: times });
  }

  /** The fault for the request at hand, if one is queued; it uses up one of its times. */
  take(): T | undefined {
    const head = this.queued[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.queued.shift();
    return head.fault;
  }

  clear(): void {
    this.queued = [];
  }
}
