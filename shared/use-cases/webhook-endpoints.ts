import { randomBytes } from 'node:crypto';
import type { WebhookCreate, WebhookUpdate } from '../api/webhook.schemas.ts';
import type { Page } from '../domain/model.ts';
import { MAX_WEBHOOK_ENDPOINTS, PING_EVENT_TYPE, type WebhookDelivery, type WebhookEndpoint } from '../domain/webhook.ts';
import { ConflictError, DependencyUnavailableError, NotFoundError, ValidationError } from '../errors.ts';
import type { Ports } from '../ports.ts';
import { createOnce, idForKey, type Idempotency } from './idempotent-create.ts';
import { newEventId } from './webhook-events.ts';

/** A new signing secret as Standard Webhooks writes it: `whsec_` and 32 random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The URL may be called: HTTPS, a host that resolves, only to public addresses (422 naming `url` otherwise). */
async function checkUrl(ports: Pick<Ports, 'webhooks'>, url: string): Promise<void> {
  const refusal = await ports.webhooks.sender.refusal(url);
  if (refusal === 'not-https') throw ValidationError.of('url', 'webhook-https', 'must be an https:// URL');
  if (refusal === 'host-unknown') throw ValidationError.of('url', 'webhook-host', 'names a host that does not resolve');
  if (refusal === 'address-refused') {
    throw ValidationError.of(
      'url',
      'webhook-address',
      'resolves to a loopback, private, link-local or otherwise non-public address, which webhooks may not call',
    );
  }
}

/**
 * Registers an endpoint:
 * 1. at most MAX_WEBHOOK_ENDPOINTS per firm (counted before the write: two creates at once
 *    may make one more);
 * 2. the URL checked (checkUrl);
 * 3. a new secret written to the secret store, the endpoint item referring to its version;
 * 4. the endpoint written. With an Idempotency-Key, a retry answers the first endpoint and its
 *    secret again (read back from the store); only two attempts at once both write a secret,
 *    and the loser's is never referred to.
 * The secret is returned here only: no read of the endpoint shows it again.
 */
export async function createWebhook(
  ports: Ports,
  tenantId: string,
  input: WebhookCreate,
  idempotency?: Idempotency,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const id = idempotency ? idForKey(tenantId, 'webhook', idempotency.key) : ports.ids.newId();
  // A retry whose first attempt landed is answered from it, before a new secret is written.
  const earlier = idempotency ? await ports.store.getWebhook(tenantId, id) : undefined;
  if (earlier) return answerRetry(ports, earlier, idempotency!);
  const existing = await ports.store.listWebhooks(tenantId);
  if (existing.length >= MAX_WEBHOOK_ENDPOINTS) {
    throw ValidationError.of('url', 'webhook-limit', `a firm has at most ${MAX_WEBHOOK_ENDPOINTS} webhooks; delete one first`);
  }
  await checkUrl(ports, input.url);
  const secret = newSecret();
  const now = ports.clock.now().toISOString();
  const secretRef = await ports.secrets.put(tenantId, secretName(id), secret);
  const endpoint: WebhookEndpoint = {
    id,
    ...input,
    enabled: true,
    secret: secretRef,
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...(idempotency ? { idempotency } : {}),
  };
  const stored = await createOnce(
    idempotency,
    async () => {
      await ports.store.createWebhook(tenantId, endpoint);
      return endpoint;
    },
    () => ports.store.getWebhook(tenantId, id),
  );
  return stored === endpoint ? { endpoint, secret } : answerRetry(ports, stored, idempotency!);
}

/** The first create's endpoint and secret, if the retry is the same request (else 409). */
async function answerRetry(ports: Pick<Ports, 'secrets'>, stored: WebhookEndpoint, idempotency: Idempotency) {
  if (stored.idempotency?.requestHash !== idempotency.requestHash) {
    throw new ConflictError(`Idempotency-Key ${idempotency.key} was used for a different request; use a new key for a new item`);
  }
  const secret = await ports.secrets.get(stored.secret);
  if (secret === undefined) throw new DependencyUnavailableError('the secret store has not the first secret yet; retry shortly');
  return { endpoint: stored, secret };
}

export async function getWebhook(ports: Pick<Ports, 'store'>, tenantId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = await ports.store.getWebhook(tenantId, id);
  if (!endpoint) throw new NotFoundError(`no webhook ${id}`);
  return endpoint;
}

export async function listWebhooks(ports: Pick<Ports, 'store'>, tenantId: string): Promise<WebhookEndpoint[]> {
  const endpoints = await ports.store.listWebhooks(tenantId);
  return endpoints.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** The stored endpoint as a PUT would send it back: the base a merge patch applies to. */
export function webhookInput({ url, eventTypes, description, enabled, version }: WebhookEndpoint): WebhookUpdate {
  return { url, eventTypes, ...(description !== undefined ? { description } : {}), enabled, version };
}

/**
 * Replaces an endpoint's URL, events, description and `enabled` if `version` is still the
 * stored one. A new URL is checked again. Turning it on again clears why Frist turned it off
 * and its failures: the next failure starts a new 24 hours.
 */
export async function updateWebhook(ports: Ports, tenantId: string, id: string, input: WebhookUpdate): Promise<WebhookEndpoint> {
  const current = await getWebhook(ports, tenantId, id);
  if (input.url !== current.url) await checkUrl(ports, input.url);
  const { version, description, ...fields } = input;
  const { disabled, failingSince, description: _old, ...kept } = current;
  const stillOff = !fields.enabled;
  const next: WebhookEndpoint = {
    ...kept,
    ...fields,
    ...(description !== undefined ? { description } : {}),
    ...(stillOff && disabled ? { disabled } : {}),
    ...(stillOff && failingSince ? { failingSince } : {}),
    version: version + 1,
    updatedAt: ports.clock.now().toISOString(),
  };
  await ports.store.putWebhook(tenantId, next, version);
  return next;
}

/**
 * Deletes the endpoint, then its signing secret (every version, at once): attempts still
 * queued find the endpoint gone and stop. If the secret's delete fails, the answer is 503
 * and a retry (404 for the endpoint) deletes the secret again before answering: the secret's
 * name follows from the endpoint's id, so nothing is left behind.
 */
export async function deleteWebhook(ports: Pick<Ports, 'store' | 'secrets'>, tenantId: string, id: string): Promise<void> {
  const current = await ports.store.getWebhook(tenantId, id);
  if (current) await ports.store.deleteWebhook(tenantId, id, current.version);
  await ports.secrets.remove(tenantId, secretName(id));
  if (!current) throw new NotFoundError(`no webhook ${id}`);
}

/** The endpoint's secret in the store, named by the endpoint's id. */
function secretName(id: string): string {
  return `webhook-${id}`;
}

/** Queues a `webhook.ping` for this endpoint only, delivered and retried as any event; its record is among the deliveries. */
export async function pingWebhook(ports: Ports, tenantId: string, id: string): Promise<{ eventId: string }> {
  await getWebhook(ports, tenantId, id);
  const eventId = newEventId(ports);
  const event = { id: eventId, type: PING_EVENT_TYPE, timestamp: ports.clock.now().toISOString(), data: {} } as const;
  await ports.webhooks.queue.send({ kind: 'attempt', tenantId, endpointId: id, event, attempt: 1 });
  return { eventId };
}

export async function listWebhookDeliveries(
  ports: Pick<Ports, 'store'>,
  tenantId: string,
  id: string,
  page: { limit: number; cursor?: string },
): Promise<Page<WebhookDelivery>> {
  await getWebhook(ports, tenantId, id);
  return ports.store.listWebhookDeliveries(tenantId, id, page);
}
