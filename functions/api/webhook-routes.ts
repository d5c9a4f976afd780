import { Cursor, Limit, pageOf } from '../../shared/api/common.schemas.ts';
import { Webhook, WebhookCreate, WebhookCreated, WebhookDelivery, WebhookPatch, WebhookPing, WebhookUpdate } from '../../shared/api/webhook.schemas.ts';
import * as z from '../../shared/api/zod.ts';
import type { WebhookEndpoint } from '../../shared/domain/webhook.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  pingWebhook,
  updateWebhook,
  webhookInput,
} from '../../shared/use-cases/webhook-endpoints.ts';
import { mergePatchRoute } from './merge-patch-route.ts';
import { route, type Route } from './route.ts';

/** An endpoint as the API shows it: never the secret's reference, nor the idempotency record. */
function webhookView(endpoint: WebhookEndpoint): z.infer<typeof Webhook> {
  const { secret: _secret, idempotency: _idempotency, ...view } = endpoint;
  return view;
}

const DeliveryQuery = z.strictObject({ limit: Limit, cursor: Cursor });

/** Served as the PATCH's base only: the issue asks for no PUT of a webhook. */
const putWebhook = route({
  method: 'PUT',
  path: '/webhooks/{id}',
  summary: 'Replace a webhook',
  tag: 'webhooks',
  status: 200,
  body: WebhookUpdate,
  response: Webhook,
  refusals: [404, 409, 422],
  run: async ({ ports, tenantId, params, body }) => webhookView(await updateWebhook(ports, tenantId, params.id!, body)),
});

export const WEBHOOK_ROUTES: Route[] = [
  route({
    method: 'POST',
    path: '/webhooks',
    summary: 'Register a webhook endpoint; the answer shows its signing secret, once',
    tag: 'webhooks',
    status: 201,
    body: WebhookCreate,
    response: WebhookCreated,
    refusals: [409, 422],
    idempotent: true,
    run: async ({ ports, tenantId, body, idempotency }) => {
      const { endpoint, secret } = await createWebhook(ports, tenantId, body, idempotency);
      return { ...webhookView(endpoint), secret };
    },
  }),
  route({
    method: 'GET',
    path: '/webhooks',
    summary: "The firm's webhook endpoints",
    tag: 'webhooks',
    status: 200,
    response: z.object({ items: z.array(Webhook) }),
    run: async ({ ports, tenantId }) => ({ items: (await listWebhooks(ports, tenantId)).map(webhookView) }),
  }),
  route({
    method: 'GET',
    path: '/webhooks/{id}',
    summary: 'Read a webhook endpoint',
    tag: 'webhooks',
    status: 200,
    response: Webhook,
    refusals: [404],
    run: async ({ ports, tenantId, params }) => webhookView(await getWebhook(ports, tenantId, params.id!)),
  }),
  mergePatchRoute(putWebhook, {
    summary: 'Change a webhook endpoint (merge patch): its URL, events, description, or turn it off and on',
    schema: WebhookPatch,
    item: 'the webhook',
    stored: async ({ ports, tenantId, params }) => webhookInput(await getWebhook(ports, tenantId, params.id!)),
  }),
  route({
    method: 'DELETE',
    path: '/webhooks/{id}',
    summary: 'Delete a webhook endpoint',
    tag: 'webhooks',
    status: 204,
    refusals: [404, 409],
    run: ({ ports, tenantId, params }) => deleteWebhook(ports, tenantId, params.id!),
  }),
  route({
    method: 'POST',
    path: '/webhooks/{id}/test',
    summary: 'Send a webhook.ping to this endpoint (in the background; see its deliveries)',
    tag: 'webhooks',
    status: 200,
    response: WebhookPing,
    refusals: [404],
    run: ({ ports, tenantId, params }) => pingWebhook(ports, tenantId, params.id!),
  }),
  route({
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    summary: "The endpoint's deliveries, newest event first, with every attempt",
    tag: 'webhooks',
    status: 200,
    query: DeliveryQuery,
    response: pageOf(WebhookDelivery),
    refusals: [404, 422],
    run: ({ ports, tenantId, params, query }) => listWebhookDeliveries(ports, tenantId, params.id!, query),
  }),
];
