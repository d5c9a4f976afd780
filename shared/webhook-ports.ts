import type { WebhookMessage } from './api/webhook-message.schema.ts';
import type { Page } from './domain/model.ts';
import type { WebhookAttempt, WebhookAttemptError, WebhookDelivery, WebhookEndpoint } from './domain/webhook.ts';

/**
 * The ports of webhooks (shared/use-cases/webhook-*.ts), apart from ports.ts: the endpoints
 * and delivery records live in the single table (Store extends WebhookStore), the events and
 * attempts travel on the webhooks queue, and the HTTP call goes through WebhookSender.
 */
export interface WebhookStore {
  /** Creates the endpoint; ConflictError if its id exists. */
  createWebhook(tenantId: string, endpoint: WebhookEndpoint): Promise<void>;
  getWebhook(tenantId: string, id: string): Promise<WebhookEndpoint | undefined>;
  listWebhooks(tenantId: string): Promise<WebhookEndpoint[]>;
  /** Replaces the endpoint if it is still at `expectedVersion` (else ConflictError). */
  putWebhook(tenantId: string, endpoint: WebhookEndpoint, expectedVersion: number): Promise<void>;
  /** Deletes it if still at `expectedVersion` (else ConflictError); true when this call removed it. */
  deleteWebhook(tenantId: string, id: string, expectedVersion: number): Promise<boolean>;
  /** Notes a failed attempt: sets `failingSince` unless set; returns the endpoint as stored after it, undefined when it is gone. */
  markWebhookFailing(tenantId: string, id: string, at: string): Promise<WebhookEndpoint | undefined>;
  /** A delivered attempt: clears `failingSince`. */
  markWebhookHealthy(tenantId: string, id: string): Promise<void>;
  /** Turns the endpoint off if it is still on and failing since `failingSince`; false when it changed meanwhile. */
  disableWebhook(tenantId: string, id: string, failingSince: string, at: string): Promise<boolean>;

  getWebhookDelivery(tenantId: string, endpointId: string, eventId: string): Promise<WebhookDelivery | undefined>;
  /**
   * Adds an attempt to the event's record for the endpoint (creating it) and moves its state;
   * one conditional UpdateItem that never moves a `delivered` record. False when it was delivered already.
   */
  recordWebhookAttempt(tenantId: string, delivery: WebhookDeliveryChange, attempt?: WebhookAttempt): Promise<boolean>;
  /** The endpoint's delivery records, newest event first. */
  listWebhookDeliveries(tenantId: string, endpointId: string, page: { limit: number; cursor?: string }): Promise<Page<WebhookDelivery>>;
}

/** What one attempt changes on a delivery record. */
export type WebhookDeliveryChange = Pick<WebhookDelivery, 'eventId' | 'endpointId' | 'type' | 'state' | 'reason' | 'nextAttemptAt' | 'updatedAt'>;

/** The webhooks queue (SQS). */
export interface WebhookQueue {
  /** Sends one message, held back `delaySeconds` (at most 900, SQS's limit); throws DependencyUnavailableError when SQS refuses or cannot be reached. */
  send(message: WebhookMessage, delaySeconds?: number): Promise<void>;
  /**
   * Sends messages without delay, up to 10 per call (SendMessageBatch): whether each was
   * queued, in order (SQS may refuse some entries of a call it answers; those it failed on
   * its side are sent once more). Throws DependencyUnavailableError when every call fails as
   * a whole; a call that fails beside others that went through loses its own entries only.
   */
  sendBatch(messages: WebhookMessage[]): Promise<boolean[]>;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type WebhookResponse = { delivered: true; status: number } | { delivered: false; error: WebhookAttemptError; status?: number };

/** HTTP to a firm's endpoint, refusing every address a webhook must not reach (shared/domain/webhook-addresses.ts). */
export interface WebhookSender {
  /** Why Frist would refuse to call this URL, or undefined when it may (resolves the host). */
  refusal(url: string): Promise<'address-refused' | 'host-unknown' | 'not-https' | undefined>;
  /** One POST, never following a redirect; resolves, never throws. */
  post(request: WebhookRequest): Promise<WebhookResponse>;
}

export interface WebhookPorts {
  queue: WebhookQueue;
  sender: WebhookSender;
}
