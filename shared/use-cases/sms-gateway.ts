import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Settings } from '../domain/model.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { Ports, SmsProvider } from '../ports.ts';
import { getSettings } from './settings.ts';

/**
 * The SMS gateway calls Frist back (delivery receipts, received SMS) without a firm's token:
 * it cannot sign in. Each firm's URLs carry its tenant id and a secret of its own, 192 random
 * bits made at the first save of its settings and replaced by a rotation; the gateway's call
 * is the firm's only if the secret matches. A wrong tenant and a wrong secret answer the same
 * 404, so the URLs tell nothing about which firms exist.
 *
 *   /sms-gateway/<provider>/<tenant id>/<secret>/receipt   delivery receipts
 *   /sms-gateway/<provider>/<tenant id>/<secret>/inbound   received SMS (STOPP)
 */
export const GATEWAY_PATH_PREFIX = '/sms-gateway/';

export type GatewayHook = 'receipt' | 'inbound';

export function newGatewaySecret(): string {
  return randomBytes(24).toString('base64url');
}

/** The firm's settings when `secret` is its gateway secret; else 404, the same for every mismatch. */
export async function authenticateGateway(ports: Pick<Ports, 'store'>, tenantId: string, secret: string): Promise<Settings> {
  const settings = await ports.store.getSettings(tenantId);
  // Compared as digests: equal lengths, and a time that says nothing about the stored secret.
  const matches = timingSafeEqual(digest(settings?.gatewaySecret ?? ''), digest(secret)) && settings?.gatewaySecret !== undefined;
  if (!settings || !matches) throw new NotFoundError('no such gateway URL');
  return settings;
}

/** The firm's URLs to paste into the gateway, under the API's own origin. */
export function gatewayUrls(
  apiOrigin: string,
  provider: SmsProvider,
  tenantId: string,
  secret: string,
): { provider: SmsProvider; receiptUrl: string; inboundUrl: string } {
  const base = `${apiOrigin}${GATEWAY_PATH_PREFIX}${provider}/${tenantId}/${secret}`;
  return { provider, receiptUrl: `${base}/receipt`, inboundUrl: `${base}/inbound` };
}

/**
 * Replaces the firm's gateway secret: the old URLs stop working at once. One conditional
 * write on the version read (a concurrent save of the settings is retried once); settings
 * never saved are saved with their defaults.
 */
export async function rotateGatewaySecret(ports: Ports, tenantId: string): Promise<Settings> {
  for (let attempt = 0; ; attempt += 1) {
    const current = await getSettings(ports, tenantId);
    const now = ports.clock.now().toISOString();
    const next: Settings = { ...current, gatewaySecret: newGatewaySecret(), version: current.version + 1, createdAt: current.createdAt || now, updatedAt: now };
    try {
      await ports.store.putSettings(tenantId, next, current.version);
      return next;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt > 0) throw error;
    }
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
