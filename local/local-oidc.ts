import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalJwt } from './local-jwt.ts';
import { renderSignInPage } from './local-sign-in-page.ts';

/**
 * The web app's client id. On AWS the ID token's `aud` is the web app's user pool client, which
 * the JWT authorizer lists among its audiences; locally the client is the audience the local
 * gateway already accepts, so its ID tokens pass exactly as `npm run token` tokens do.
 */
export const LOCAL_WEB_CLIENT_ID = LOCAL_AUDIENCE;

/** Cognito's authorization codes are valid for five minutes and can be redeemed once. */
const CODE_LIFETIME_MS = 5 * 60_000;
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface LocalOidcOptions {
  jwt: LocalJwt;
  /** The claim that names the firm (TENANT_CLAIM). */
  tenantClaim: string;
  /** The app's exact redirect URIs (`<app origin>/auth/callback`) and sign-out URIs (`<app origin>/`). */
  redirectUris: () => readonly string[];
  logoutUris: () => readonly string[];
  /** Preselected on the sign-in page. */
  defaultTenant: string;
}

/** What a refresh token stands for: Cognito's are opaque and, by default, valid 30 days. */
interface Session {
  tenant: string;
  scope: string;
  expiresAt: number;
}

const REFRESH_LIFETIME_MS = 30 * 86_400_000;

interface PendingCode {
  tenant: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  scope: string;
  expiresAt: number;
}

/**
 * The local stand-in for the Cognito user pool's managed login (never deployed): the OIDC
 * discovery document, the JWKS, `/oauth2/authorize` as a page where a developer picks a tenant,
 * `/oauth2/token` for the authorization-code grant with PKCE (S256) and the refresh-token grant
 * (which oidc-client-ts uses to renew the tokens before they expire), and `/logout` in Cognito's
 * form (`client_id`, `logout_uri`). It follows Cognito's "Authorize endpoint", "Token endpoint"
 * and "Logout endpoint" pages in what the app relies on: redirect URIs must match a registered
 * one exactly, codes are single-use and short-lived, the verifier must hash to the challenge,
 * errors are `{"error": ...}` with 400, and the ID token carries the tenant claim with `aud` =
 * the client id. One difference: the tokens name the local issuer (`LOCAL_ISSUER`), as every
 * local token does, although the discovery document is served from 127.0.0.1; the app does
 * not check the issuer against its URL, and the local gateway checks the issuer it knows.
 */
export function createLocalOidc(options: LocalOidcOptions): { server: Server; setBaseUrl(url: string): void } {
  const codes = new Map<string, PendingCode>();
  const sessions = new Map<string, Session>();
  let baseUrl = '';
  const server = createServer((request, response) => {
    handle(request, response).catch(() => json(response, 500, { error: 'server_error' }));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl || 'http://127.0.0.1');
    const cors = corsHeaders(request);
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type' });
      return void response.end();
    }
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /.well-known/openid-configuration') return json(response, 200, discovery(), cors);
    if (route === 'GET /.well-known/jwks.json') return json(response, 200, { keys: [options.jwt.publicJwk] }, cors);
    if (route === 'GET /oauth2/authorize') return authorizePage(url.searchParams, response);
    if (route === 'POST /oauth2/authorize') return signIn(new URLSearchParams(await readText(request)), response);
    if (route === 'POST /oauth2/token') return token(new URLSearchParams(await readText(request)), response, cors);
    if (route === 'GET /logout') return logout(url.searchParams, response);
    json(response, 404, { error: 'not_found' });
  }

  function discovery() {
    return {
      issuer: LOCAL_ISSUER,
      authorization_endpoint: `${baseUrl}/oauth2/authorize`,
      token_endpoint: `${baseUrl}/oauth2/token`,
      jwks_uri: `${baseUrl}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email', 'profile'],
      token_endpoint_auth_methods_supported: ['none'],
    };
  }

  /** The authorize request's own checks; an unregistered redirect URI is never redirected to. */
  function checkAuthorize(params: URLSearchParams): string | undefined {
    if (params.get('client_id') !== LOCAL_WEB_CLIENT_ID) return 'unknown client_id';
    if (!options.redirectUris().includes(params.get('redirect_uri') ?? '')) return 'redirect_uri is not registered for this client';
    if (params.get('response_type') !== 'code') return 'response_type must be code';
    if (params.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(params.get('code_challenge') ?? '')) {
      return 'PKCE is required: code_challenge (S256) and code_challenge_method=S256';
    }
    if (!(params.get('scope') ?? '').split(' ').includes('openid')) return 'scope must include openid';
    return undefined;
  }

  function authorizePage(params: URLSearchParams, response: ServerResponse, error?: string): void {
    const refusal = checkAuthorize(params);
    if (refusal) return html(response, 400, renderSignInPage({ refusal }));
    html(response, error ? 400 : 200, renderSignInPage({ params, tenant: params.get('tenant') ?? options.defaultTenant, error }));
  }

  function signIn(form: URLSearchParams, response: ServerResponse): void {
    if (checkAuthorize(form)) return authorizePage(form, response);
    const tenant = (form.get('tenant') ?? '').trim();
    if (!TENANT_ID.test(tenant)) return authorizePage(form, response, 'tenant');
    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      tenant,
      redirectUri: form.get('redirect_uri')!,
      codeChallenge: form.get('code_challenge')!,
      ...(form.get('nonce') ? { nonce: form.get('nonce')! } : {}),
      scope: form.get('scope')!,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    const target = new URL(form.get('redirect_uri')!);
    target.searchParams.set('code', code);
    if (form.get('state')) target.searchParams.set('state', form.get('state')!);
    response.writeHead(302, { location: target.toString(), 'cache-control': 'no-store' });
    response.end();
  }

  async function token(form: URLSearchParams, response: ServerResponse, cors: Record<string, string>): Promise<void> {
    const refuse = (error: string) => json(response, 400, { error }, { ...cors, 'cache-control': 'no-store' });
    if (form.get('client_id') !== LOCAL_WEB_CLIENT_ID) return refuse('invalid_client');
    if (form.get('grant_type') === 'refresh_token') {
      // As Cognito: new ID and access tokens for the same user, the refresh token stays.
      const session = sessions.get(form.get('refresh_token') ?? '');
      if (!session || session.expiresAt < Date.now()) return refuse('invalid_grant');
      return json(response, 200, await tokensFor(session.tenant, session.scope), { ...cors, 'cache-control': 'no-store' });
    }
    if (form.get('grant_type') !== 'authorization_code') return refuse('unsupported_grant_type');
    const code = form.get('code') ?? '';
    const pending = codes.get(code);
    // Single use: whatever the outcome, the code is spent.
    codes.delete(code);
    if (!pending || pending.expiresAt < Date.now()) return refuse('invalid_grant');
    if (form.get('redirect_uri') !== pending.redirectUri) return refuse('invalid_grant');
    const verifier = form.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || createHash('sha256').update(verifier).digest('base64url') !== pending.codeChallenge) {
      return refuse('invalid_grant');
    }
    const refreshToken = randomBytes(32).toString('base64url');
    sessions.set(refreshToken, { tenant: pending.tenant, scope: pending.scope, expiresAt: Date.now() + REFRESH_LIFETIME_MS });
    const tokens = await tokensFor(pending.tenant, pending.scope, pending.nonce);
    json(response, 200, { ...tokens, refresh_token: refreshToken }, { ...cors, 'cache-control': 'no-store' });
  }

  /** An ID token (the API's bearer: the tenant claim, `aud` = the client) and an access token, for an hour as Cognito's default. */
  async function tokensFor(tenant: string, scope: string, nonce?: string) {
    const sub = `local-user@${tenant}`;
    const idToken = await options.jwt.sign({ sub, [options.tenantClaim]: tenant, token_use: 'id', ...(nonce ? { nonce } : {}) }, '1h');
    const accessToken = await options.jwt.sign({ sub, token_use: 'access', client_id: LOCAL_WEB_CLIENT_ID, scope }, '1h');
    return { id_token: idToken, access_token: accessToken, token_type: 'Bearer', expires_in: 3600 };
  }

  function logout(params: URLSearchParams, response: ServerResponse): void {
    const target = params.get('logout_uri') ?? '';
    if (params.get('client_id') !== LOCAL_WEB_CLIENT_ID || !options.logoutUris().includes(target)) {
      return html(response, 400, renderSignInPage({ refusal: 'logout_uri is not registered for this client' }));
    }
    response.writeHead(302, { location: target });
    response.end();
  }

  /** Only the registered app origins may read the token endpoint's answers. */
  function corsHeaders(request: IncomingMessage): Record<string, string> {
    const origin = request.headers.origin;
    const allowed = options.redirectUris().map((uri) => new URL(uri).origin);
    return origin && allowed.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
  }

  return {
    server,
    setBaseUrl: (url) => {
      baseUrl = url;
    },
  };
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * The sign-in page, isolated from the window that opened it as Cognito's managed login is
 * (`Cross-Origin-Opener-Policy: same-origin`): a sign-in in a window of its own cannot reach
 * the app through `window.opener`, here as there.
 */
function html(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'cross-origin-opener-policy': 'same-origin' });
  response.end(body);
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
