/**
 * The runtime configuration the app reads from `/config.json` on its own origin; whoever hosts
 * the app writes it (the CDK stack on AWS, `npm start` locally). The same build runs anywhere.
 */
export interface AppConfig {
  apiUrl: string;
  oidc: {
    authority: string;
    clientId: string;
    scope: string;
    /** Cognito's `https://<domain>/logout`: sign-out ends the managed login's session there too. */
    logoutUrl?: string;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** Parses config.json, refusing anything that is not the contract (a half-configured app fails at start, visibly). */
export function parseConfig(raw: unknown): AppConfig {
  const value = raw as { apiUrl?: unknown; oidc?: Record<string, unknown> } | null;
  const oidc = value?.oidc;
  if (!value || !isString(value.apiUrl) || !oidc || !isString(oidc.authority) || !isString(oidc.clientId) || !isString(oidc.scope)) {
    throw new ConfigError('config.json must have apiUrl and oidc.authority, oidc.clientId, oidc.scope');
  }
  if (oidc.logoutUrl !== undefined && !isString(oidc.logoutUrl)) throw new ConfigError('config.json: oidc.logoutUrl must be a string');
  return {
    apiUrl: value.apiUrl.replace(/\/+$/, ''),
    oidc: {
      authority: oidc.authority,
      clientId: oidc.clientId,
      scope: oidc.scope,
      ...(oidc.logoutUrl ? { logoutUrl: oidc.logoutUrl } : {}),
    },
  };
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/config.json', { cache: 'no-cache' });
  if (!response.ok) throw new ConfigError(`config.json answered ${response.status}`);
  return parseConfig(await response.json());
}
