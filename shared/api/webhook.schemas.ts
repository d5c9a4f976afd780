import { WebhookAttempt, WebhookDelivery as StoredDelivery, WebhookEndpoint as StoredEndpoint, WebhookEventType } from '../domain/webhook.ts';
import { Id, Version } from './common.schemas.ts';
import { mergePatchOf } from './merge-patch.schemas.ts';
import * as z from './zod.ts';

const webhookFields = {
  url: z
    .url({ protocol: /^https?$/, error: 'must be an absolute https:// URL' })
    .max(2000)
    .openapi({ example: 'https://praksis.example.no/frist/hooks', description: 'HTTPS, to a public address; never redirected.' }),
  eventTypes: z
    .array(WebhookEventType)
    .min(1)
    .max(WebhookEventType.options.length)
    .refine((types) => new Set(types).size === types.length, { error: 'must not repeat an event type', params: { rule: 'unique' } })
    .openapi({ description: 'The events this endpoint receives.' }),
  description: z.string().max(200).trim().optional(),
};

export const WebhookCreate = z.strictObject(webhookFields).openapi('WebhookCreate');
export type WebhookCreate = z.output<typeof WebhookCreate>;

export const WebhookUpdate = z
  .strictObject({ ...webhookFields, enabled: z.boolean().openapi({ description: 'Off: no event is sent. On again: clears `disabled`.' }), version: Version })
  .openapi('WebhookUpdate');
export type WebhookUpdate = z.output<typeof WebhookUpdate>;

/** A merge patch of an endpoint (PATCH /webhooks/{id}). */
export const WebhookPatch = mergePatchOf(WebhookUpdate, 'WebhookPatch');

/** An endpoint as the API shows it: never its secret, nor the idempotency record of its creation. */
export const Webhook = StoredEndpoint.omit({ secret: true, idempotency: true })
  .safeExtend({
    id: Id,
    disabled: StoredEndpoint.shape.disabled.meta({
      description: 'Set when Frist turned the endpoint off (`failing`: its attempts failed for 24 hours); PATCH `enabled: true` turns it on again.',
    }),
    failingSince: StoredEndpoint.shape.failingSince.meta({ description: 'The first failed attempt since the last delivered one.' }),
  })
  .openapi('Webhook');

export const WebhookCreated = Webhook.safeExtend({
  secret: z.string().openapi({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks): shown in this answer only. Keep it to verify `webhook-signature`.',
  }),
}).openapi('WebhookCreated');

export const WebhookDelivery = StoredDelivery.safeExtend({
  // A copy: a schema made in shared/domain may predate the `.openapi` extension (see zod.ts).
  attempts: z.array(z.object(WebhookAttempt.shape).openapi('WebhookAttempt')),
})
  .meta({ description: 'One event sent to one endpoint, with every attempt.' })
  .openapi('WebhookDelivery');

export const WebhookPing = z.object({ eventId: z.string() }).openapi('WebhookPing');
