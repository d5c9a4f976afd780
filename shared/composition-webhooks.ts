import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { observeCalls } from './adapters/call-observer.ts';
import { SecretsManagerStore } from './adapters/secrets-manager.adapter.ts';
import { buildTablePorts, buildWebhookPorts, clientOptions, withVersionCache, type ClientOverrides } from './composition.ts';
import type { Config } from './config.ts';
import type { Ports } from './ports.ts';

/** The webhooks function's ports: the table, the endpoints' secrets (each version read once per container), the webhooks queue and sender. */
export function buildDeliveryPorts(config: Config, overrides: ClientOverrides = {}): Pick<Ports, 'store' | 'clock' | 'log' | 'secrets' | 'webhooks'> {
  const secrets = new SecretsManagerClient(clientOptions(config, config.SECRETS_MANAGER_ENDPOINT, overrides.credentials?.secrets));
  return {
    ...buildTablePorts(config, overrides),
    secrets: withVersionCache(new SecretsManagerStore(observeCalls(secrets, overrides.recordCall), config.SECRETS_PREFIX)),
    webhooks: buildWebhookPorts(config, overrides),
  };
}
