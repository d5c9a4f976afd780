import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalWeb, type LocalWeb } from '../../local/local-web.ts';
import { loadLocalJwt, type LocalJwt } from '../../local/local-jwt.ts';

/**
 * The local sign-in service behaves as Cognito's managed login does in what the web app relies
 * on: exact redirect URIs, PKCE S256, single-use short-lived codes, an ID token the API accepts.
 */
let web: LocalWeb;
let jwt: LocalJwt;
let dataDir: string;
const verifier = randomBytes(48).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'frist-signin-'));
  web = await startLocalWeb({ jwtKeyFile: join(dataDir, 'jwt-key.json'), tenantClaim: 'tenant_id', defaultTenant: 'demo', apiUrl: () => 'http://127.0.0.1:9' });
  jwt = await loadLocalJwt(join(dataDir, 'jwt-key.json'));
});
afterAll(async () => {
  await web.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const authorize = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({
    client_id: 'frist-local',
    redirect_uri: `${web.appUrl}/auth/callback`,
    response_type: 'code',
    scope: 'openid email profile',
    state: 'st4te',
    nonce: 'n0nce',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  });

async function codeFor(tenant: string): Promise<string> {
  const form = authorize();
  form.set('tenant', tenant);
  const response = await fetch(`${web.signInUrl}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(`${web.appUrl}/auth/callback`);
  expect(location.searchParams.get('state')).toBe('st4te');
  return location.searchParams.get('code')!;
}

const redeem = (code: string, overrides: Record<string, string> = {}) =>
  fetch(`${web.signInUrl}/oauth2/token`, {
    method: 'POST',
    headers: { origin: web.appUrl },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: 'frist-local',
      code,
      redirect_uri: `${web.appUrl}/auth/callback`,
      code_verifier: verifier,
      ...overrides,
    }),
  });

describe('the local sign-in service', () => {
  it('serves the discovery document and the key that verifies its tokens', async () => {
    const discovery = (await (await fetch(`${web.signInUrl}/.well-known/openid-configuration`)).json()) as Record<string, any>;
    expect(discovery.token_endpoint).toBe(`${web.signInUrl}/oauth2/token`);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: 'local', alg: 'RS256', kty: 'RSA' })]);
    expect(jwks.keys[0]!.d).toBeUndefined();
  });

  it('trades a code and its verifier for an ID token naming the tenant, which the API gateway accepts', async () => {
    const response = await redeem(await codeFor('tallogtid'));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(web.appUrl);
    const tokens = (await response.json()) as { id_token: string };
    const claims = await jwt.verify(tokens.id_token);
    expect(claims).toMatchObject({ tenant_id: 'tallogtid', nonce: 'n0nce', aud: 'frist-local', token_use: 'id' });
  });

  it('renews the tokens with the refresh token, for the same tenant, as oidc-client-ts does before they expire', async () => {
    const first = (await (await redeem(await codeFor('tallogtid'))).json()) as { refresh_token: string };
    const renewed = await fetch(`${web.signInUrl}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'frist-local', refresh_token: first.refresh_token }),
    });
    expect(renewed.status).toBe(200);
    const tokens = (await renewed.json()) as { id_token: string; refresh_token?: string };
    expect(await jwt.verify(tokens.id_token)).toMatchObject({ tenant_id: 'tallogtid', aud: 'frist-local' });
    expect(tokens.refresh_token).toBeUndefined();
    const unknown = await fetch(`${web.signInUrl}/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'frist-local', refresh_token: 'made-up' }),
    });
    expect(await unknown.json()).toEqual({ error: 'invalid_grant' });
  });

  it('redeems a code once only', async () => {
    const code = await codeFor('demo');
    expect((await redeem(code)).status).toBe(200);
    const again = await redeem(code);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_grant' });
  });

  it('refuses a verifier that does not hash to the challenge, and spends the code', async () => {
    const code = await codeFor('demo');
    expect(await (await redeem(code, { code_verifier: randomBytes(48).toString('base64url') })).json()).toEqual({ error: 'invalid_grant' });
    expect((await redeem(code)).status).toBe(400);
  });

  it('refuses a redirect URI other than the one the code was issued for', async () => {
    const response = await redeem(await codeFor('demo'), { redirect_uri: `${web.appUrl}/elsewhere` });
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it('never redirects to an unregistered redirect URI, and requires PKCE', async () => {
    for (const params of [authorize({ redirect_uri: 'http://127.0.0.1:1/cb' }), authorize({ code_challenge_method: 'plain' })]) {
      const response = await fetch(`${web.signInUrl}/oauth2/authorize?${params.toString()}`, { redirect: 'manual' });
      expect(response.status).toBe(400);
    }
  });

  it('asks again for a tenant id that is not 1-64 of A-Z a-z 0-9 _ -', async () => {
    const form = authorize();
    form.set('tenant', 'no spaces');
    const response = await fetch(`${web.signInUrl}/oauth2/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Ugyldig tenant-id');
  });

  it('signs out to a registered logout URI only (Cognito: client_id and logout_uri)', async () => {
    const ok = await fetch(`${web.signInUrl}/logout?client_id=frist-local&logout_uri=${encodeURIComponent(`${web.appUrl}/`)}`, { redirect: 'manual' });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe(`${web.appUrl}/`);
    const refused = await fetch(`${web.signInUrl}/logout?client_id=frist-local&logout_uri=${encodeURIComponent('http://127.0.0.1:1/')}`, {
      redirect: 'manual',
    });
    expect(refused.status).toBe(400);
  });

  it('serves the app with its config.json and index.html for its routes', async () => {
    const config = await (await fetch(`${web.appUrl}/config.json`)).json();
    expect(config).toEqual({
      apiUrl: 'http://127.0.0.1:9',
      oidc: { authority: web.signInUrl, clientId: 'frist-local', scope: 'openid email profile', logoutUrl: `${web.signInUrl}/logout` },
    });
  });
});
