import * as z from 'zod';
import { WebhookEvent } from '../domain/webhook.ts';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * A message on the webhooks queue: an event to fan out to the firm's endpoints, or one
 * attempt of an event at one endpoint. `notBefore` is when the attempt is due: a wait past
 * SQS's 15-minute delay is a chain of delayed messages (shared/webhooks-queue.ts).
 */
export const WebhookMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('event'), tenantId: Id, event: WebhookEvent }),
  z.strictObject({
    kind: z.literal('attempt'),
    tenantId: Id,
    endpointId: Id,
    event: WebhookEvent,
    attempt: z.int().min(1).max(100),
    /** When the first attempt was made; absent before it. */
    firstAttemptAt: z.iso.datetime().optional(),
    notBefore: z.iso.datetime().optional(),
  }),
]);
export type WebhookMessage = z.infer<typeof WebhookMessageSchema>;
export type WebhookAttemptMessage = Extract<WebhookMessage, { kind: 'attempt' }>;
