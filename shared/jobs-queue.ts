/**
 * The jobs queue between a request that starts long work and the jobs function that does it
 * in steps, as the CDK stack deploys it and the local stack imitates it, from this one place.
 *
 * Why a queue of steps (see docs/decisions.md): a change of the firm's time zone moves every
 * open task's schedules, thousands of Scheduler calls for a large firm, far past what one
 * HTTP request (15 s) may take. Each message is one bounded step; the next step is a new
 * message, so no invocation runs long and a crash costs one step, which SQS hands out again.
 */
export const JOBS_QUEUE = {
  /**
   * Open tasks one step re-plans. A task moves at most 130 schedules (10 notices, each
   * repeated 12 times), created 8 at a time: 25 such tasks take well under a minute.
   */
  tasksPerStep: 25,
  /** Longest a step may run: twice what 25 tasks at their worst need. */
  functionTimeoutSeconds: 120,
  /**
   * Six times the function timeout, as AWS advises for a queue an event source mapping reads
   * (AWS Lambda Developer Guide: "Creating and configuring an Amazon SQS event source
   * mapping"); also the pause before a step that crashed is handed out again.
   */
  visibilityTimeoutSeconds: 720,
  /** Receives of one step message before it goes to the dead-letter queue: five tries in an hour. */
  maxReceiveCount: 5,
  /** The longest SQS keeps a message. */
  retentionSeconds: 14 * 24 * 3600,
  /** One step per invocation. */
  batchSize: 1,
  /**
   * Jobs at once: the smallest maximum concurrency an SQS event source mapping takes. A job's
   * steps follow one another, so this bounds the Scheduler calls of all jobs together, and a
   * zone change never crowds out the saves of the firms' users.
   */
  maxConcurrency: 2,
  /**
   * A job that has not moved for this long has no step message left (a send failed, or the
   * message went to the dead-letter queue): the reconciler hands its step out again. Longer
   * than a crashed step takes to come back (the visibility timeout) and to run.
   */
  stalledAfterSeconds: 15 * 60,
  /** Times the reconciler hands out a job that does not move before it gives the job up (`failed`). */
  maxRestarts: 3,
} as const;
