import { importJWK, SignJWT, decodeProtectedHeader, type JWK } from 'jose';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadLocalJwt, type LocalJwt } from '../../local/local-jwt.ts';

// The local stand-in for API Gateway's JWT authorizer, against the checks AWS documents for it
// ("Control access to HTTP APIs with JWT authorizers in API Gateway").
let dir: string;
let keyFile: string;
let jwt: LocalJwt;
let privateJwk: JWK;

/** A token signed with the local key, its header and claims as a test wants them. */
async function token(claims: Record<string, unknown>, header: { alg?: string; kid?: string } = { kid: 'local' }): Promise<string> {
  const alg = header.alg ?? 'RS256';
  const key = await importJWK(privateJwk, alg);
  return new SignJWT(claims)
    .setProtectedHeader({ ...header, alg })
    .setIssuer(LOCAL_ISSUER)
    .setExpirationTime('1h')
    .sign(key);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frist-jwt-'));
  keyFile = join(dir, 'jwt-key.json');
  jwt = await loadLocalJwt(keyFile);
  privateJwk = JSON.parse(await readFile(keyFile, 'utf8')) as JWK;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the local JWT authorizer', () => {
  it('signs with an RSA-based algorithm, the only kind the authorizer takes, naming the key of its JWKS', async () => {
    const header = decodeProtectedHeader(await jwt.sign({ tenant_id: 'firm' }));
    expect(header).toEqual({ alg: 'RS256', kid: 'local' });
    expect(jwt.publicJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', kid: 'local' });
    expect(await jwt.verify(await jwt.sign({ tenant_id: 'firm' }))).toMatchObject({ tenant_id: 'firm' });
  });

  it('refuses a token whose header names no key, or another key than the JWKS has, though the signature is good', async () => {
    expect(await jwt.verify(await token({ aud: LOCAL_AUDIENCE, tenant_id: 'firm' }, { kid: 'local' }))).toMatchObject({ tenant_id: 'firm' });
    expect(await jwt.verify(await token({ aud: LOCAL_AUDIENCE, tenant_id: 'firm' }, {}))).toBeUndefined();
    expect(await jwt.verify(await token({ aud: LOCAL_AUDIENCE, tenant_id: 'firm' }, { kid: 'other' }))).toBeUndefined();
  });

  it('refuses a token issued in the future (iat ahead of now), as it does one not yet valid (nbf)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await jwt.verify(await token({ aud: LOCAL_AUDIENCE, iat: now + 3600 }))).toBeUndefined();
    expect(await jwt.verify(await token({ aud: LOCAL_AUDIENCE, nbf: now + 3600 }))).toBeUndefined();
    expect(await jwt.verify(await token({ aud: LOCAL_AUDIENCE, iat: now - 60, nbf: now - 60 }))).toBeDefined();
  });

  it('takes the audience from aud, or from client_id only when there is no aud', async () => {
    expect(await jwt.verify(await token({ client_id: LOCAL_AUDIENCE }))).toBeDefined();
    expect(await jwt.verify(await token({ aud: [LOCAL_AUDIENCE, 'another'] }))).toBeDefined();
    expect(await jwt.verify(await token({ client_id: 'another' }))).toBeUndefined();
    expect(await jwt.verify(await token({ aud: 'another', client_id: LOCAL_AUDIENCE }))).toBeUndefined();
    expect(await jwt.verify(await token({}))).toBeUndefined();
  });

  it('replaces a stored key of the earlier ES256 issuer with an RSA one', async () => {
    const old = join(dir, 'old-key.json');
    await writeFile(old, JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' }));
    const renewed = await loadLocalJwt(old);
    expect(renewed.publicJwk.kty).toBe('RSA');
    expect(JSON.parse(await readFile(old, 'utf8'))).toMatchObject({ kty: 'RSA' });
  });
});
