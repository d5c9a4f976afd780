import createClient, { type Client } from 'openapi-fetch';
import { ApiError, NetworkError } from './api-error';
import type { paths } from './schema';

export type ApiClient = Client<paths>;

/**
 * The typed client of the API (types generated from its /openapi.json). Every request carries
 * the signed-in user's ID token as the bearer: it names the firm (`custom:tenant_id` on
 * Cognito), and API Gateway's JWT authorizer checks its `aud` against the app client.
 */
export function createApiClient(options: { baseUrl: string; idToken: () => string | undefined; onUnauthorized: () => void }): ApiClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl });
  client.use({
    onRequest({ request }) {
      const token = options.idToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      // The token expired or was refused: the user signs in again.
      if (response.status === 401) options.onUnauthorized();
      return undefined;
    },
    onError({ error }) {
      return new NetworkError(error instanceof Error ? error.message : 'fetch failed');
    },
  });
  return client;
}

/** openapi-fetch's `{ data, error, response }` as the data, or a thrown ApiError. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw new ApiError(response.status, error);
  return data as T;
}
