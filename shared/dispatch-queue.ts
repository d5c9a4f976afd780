/**
 * The dispatch queue between the Scheduler and the dispatch function, as the CDK stack
 * deploys it and the local stack imitates it, from this one place.
 *
 * Why a queue (see docs/decisions.md): the Scheduler invokes a Lambda target asynchronously,
 * and Lambda retries a failed asynchronous invocation only twice, within about three minutes.
 * A queue gives every notice retries for hours, at a steady pace, then a dead-letter queue,
 * and caps how many dispatches run at once (and so the rate toward SES and the SMS gateway).
 */
export const DISPATCH_QUEUE = {
  /** Longest a dispatch invocation may run; the claim lease and visibility outlast it. */
  functionTimeoutSeconds: 30,
  /**
   * A claim outlives any attempt that holds it (the function is stopped at its timeout), so a
   * live claim always means a live attempt; it ends before the message comes back, so the
   * retry finds a dead attempt's claim expired and takes it over.
   */
  claimLeaseSeconds: 90,
  /** The pause before a failed message comes back: six times the function timeout, as AWS advises. */
  visibilityTimeoutSeconds: 180,
  /** 160 receives three minutes apart: retries for 8 hours before the dead-letter queue. */
  maxReceiveCount: 160,
  /** The longest SQS keeps a message. */
  retentionSeconds: 14 * 24 * 3600,
  batchSize: 10,
  /** Dispatch invocations at once (the event source mapping's maximum concurrency). */
  maxConcurrency: 10,
} as const;
