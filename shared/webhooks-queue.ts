/**
 * The webhooks queue between whatever publishes an event (dispatch, the SMS receipts, a STOPP,
 * a test ping) and the webhooks function that delivers it, as the CDK stack deploys it and the
 * local stack imitates it, from this one place.
 *
 * Why a queue (see docs/decisions.md): an event must never slow down or endanger the send it
 * reports, and a receiver may be down for hours. Publishing is one SendMessage; each attempt
 * is one message, and a failed attempt sends the next one back with a delay. SQS delays a
 * message 15 minutes at most, so a longer back-off is a chain: the message comes back, finds
 * its `notBefore` still ahead, and goes back with the rest of the wait (at most 32 hops for
 * the longest wait of 8 hours, each a few milliseconds of Lambda).
 */
export const WEBHOOKS_QUEUE = {
  /** SendMessage's DelaySeconds at most (Amazon SQS Developer Guide: "Amazon SQS delay queues"). */
  maxDelaySeconds: 900,
  /** How long one attempt may take: a slow receiver holds a Lambda for this, no longer. */
  attemptTimeoutMs: 10_000,
  /** Messages per invocation, attempted side by side. */
  batchSize: 10,
  /** Ten attempts of 10 s side by side, with room to record them. */
  functionTimeoutSeconds: 30,
  /** Six times the function timeout, as AWS advises for a queue an event source mapping reads. */
  visibilityTimeoutSeconds: 180,
  /**
   * Receives of one message before the dead-letter queue. A failed HTTP attempt is not a failed
   * receive (it sends its own next attempt); only a crash or a DynamoDB/SQS outage is.
   */
  maxReceiveCount: 5,
  retentionSeconds: 4 * 24 * 3600,
  /** Deliveries at once, so a firm's slow receiver cannot take every Lambda of the account. */
  maxConcurrency: 5,
  /** Delivery records are kept for 30 days (the table's TTL deletes them). */
  recordDays: 30,
} as const;
