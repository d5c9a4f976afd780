import * as z from 'zod';
import { IdempotencyRecord } from './model.ts';
import { schema } from './schema.ts';

/**
 * Webhooks: a firm's endpoints, the events Frist sends them, and the record of each event's
 * delivery to one endpoint (shared/use-cases/webhook-delivery.ts says how they move).
 */

/** What a firm can subscribe to. `job.finished` is listed for the background jobs' use case to publish. */
export const WEBHOOK_EVENT_TYPES = ['notice.sent', 'notice.failed', 'notice.skipped', 'notice.delivered', 'customer.opted_out', 'job.finished'] as const;
export const WebhookEventType = /* @__PURE__ */ schema(() => z.enum(WEBHOOK_EVENT_TYPES));
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** What `POST /webhooks/{id}/test` sends: to that endpoint only, whatever it subscribes to. */
export const PING_EVENT_TYPE = 'webhook.ping';

/**
 * One event as it travels: the body a receiver gets is `{ type, timestamp, data }` (the
 * Standard Webhooks payload), and `id` is its `webhook-id`, the same on every retry, so a
 * receiver can drop a copy. `data` holds ids and codes only, never addresses or texts.
 */
/** What an event may be: a subscribable type, or the ping. */
export const SentEventType = /* @__PURE__ */ schema(() => z.union([WebhookEventType, z.literal(PING_EVENT_TYPE)]));

export const WebhookEvent = /* @__PURE__ */ schema(() =>
  z.strictObject({
    id: z.string().regex(/^evt_[0-9A-Za-z]{1,64}$/),
    type: SentEventType,
    timestamp: z.iso.datetime(),
    data: z.record(z.string().max(64), z.union([z.string().max(200), z.number(), z.boolean()])),
  }),
);
export type WebhookEvent = z.infer<typeof WebhookEvent>;

/** Why an endpoint was turned off (by Frist: only `failing`). */
export const DisabledReason = /* @__PURE__ */ schema(() => z.enum(['failing']));

export const WebhookEndpoint = /* @__PURE__ */ schema(() =>
  z.object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(WebhookEventType),
    description: z.string().optional(),
    enabled: z.boolean(),
    /** Set when Frist turned the endpoint off, with when. */
    disabled: z.object({ reason: DisabledReason, at: z.iso.datetime() }).optional(),
    /** The first failed attempt since the last delivered one: 24 hours of failures turn the endpoint off. */
    failingSince: z.iso.datetime().optional(),
    /** The signing secret (`whsec_…`) in the secret store; the item never holds it. */
    secret: z.object({ name: z.string(), versionId: z.string() }),
    version: z.int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /** The Idempotency-Key of its creation, so a retry finds it. */
    idempotency: IdempotencyRecord.optional(),
  }),
);
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** Why an attempt failed. */
export const WebhookAttemptError = /* @__PURE__ */ schema(() =>
  z.enum(['http-status', 'redirect', 'timeout', 'connection-failed', 'host-unknown', 'address-refused', 'secret-missing']),
);
export type WebhookAttemptError = z.infer<typeof WebhookAttemptError>;

export const WebhookAttempt = /* @__PURE__ */ schema(() =>
  z.object({
    attempt: z.int().min(1),
    at: z.iso.datetime(),
    outcome: z.enum(['delivered', 'failed']),
    /** The receiver's HTTP status, when it answered. */
    status: z.int().optional(),
    error: WebhookAttemptError.optional(),
    durationMs: z.int().min(0),
  }),
);
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

/**
 * One event's delivery to one endpoint:
 * ```
 * pending ──2xx──> delivered
 *    │ └─fails─> pending (next attempt after back-off) ... 24 h ─> failed (gave-up)
 *    └─ endpoint disabled or deleted meanwhile ─> failed (endpoint-disabled)
 * ```
 * `delivered` is final: a late copy of an attempt finds it and sends nothing.
 */
export const WebhookDeliveryState = /* @__PURE__ */ schema(() => z.enum(['pending', 'delivered', 'failed']));
export const WebhookDelivery = /* @__PURE__ */ schema(() =>
  z.object({
    eventId: z.string(),
    endpointId: z.string(),
    type: SentEventType,
    state: WebhookDeliveryState,
    /** Why a `failed` delivery stopped. */
    reason: z.enum(['gave-up', 'endpoint-disabled']).optional(),
    attempts: z.array(WebhookAttempt),
    nextAttemptAt: z.iso.datetime().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** A firm's endpoints at most: each event fans out to each of them. */
export const MAX_WEBHOOK_ENDPOINTS = 10;

/** Attempts kept on a delivery's record (back-off gives about ten in 24 hours; copies of a message may add a few). */
export const MAX_RECORDED_ATTEMPTS = 30;

/** How long an event is retried, and how long an endpoint may fail before it is turned off. */
export const WEBHOOK_RETRY_HOURS = 24;

/**
 * Wait before attempt `next` (2, 3, ...): 30 s, then four times longer each time, at most
 * 8 hours: 30 s, 2 min, 8 min, 32 min, ~2 h, 8 h, 8 h … The last attempt falls on the 24th hour.
 */
export function backoffSeconds(next: number): number {
  return Math.min(30 * 4 ** (next - 2), 8 * 3600);
}

/** When attempt `next` is due after a failure at `now`, or undefined when 24 hours from the first attempt have passed. */
export function nextAttemptAt(next: number, firstAttemptAt: Date, now: Date): Date | undefined {
  const deadline = firstAttemptAt.getTime() + WEBHOOK_RETRY_HOURS * 3600_000;
  if (now.getTime() >= deadline) return undefined;
  return new Date(Math.min(now.getTime() + backoffSeconds(next) * 1000, deadline));
}
