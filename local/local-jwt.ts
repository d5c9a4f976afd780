import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The local stand-in for the identity provider: an ES256 key pair kept in the local data
 * folder. Tokens it signs name this issuer, which no AWS deployment trusts.
 */
export const LOCAL_ISSUER = 'https://frist.local/issuer';
export const LOCAL_AUDIENCE = 'frist-local';

export interface LocalJwt {
  /** The public half of the signing key, as a JWKS publishes it (the local OIDC stand-in serves it). */
  publicJwk: JWK;
  sign(claims: Record<string, string>, expiresIn?: string): Promise<string>;
  /** The verified claims as API Gateway's JWT authorizer hands them on (strings), or undefined. */
  verify(token: string): Promise<Record<string, string> | undefined>;
}

export async function loadLocalJwt(keyFile: string): Promise<LocalJwt> {
  const { privateKey, publicKey, publicJwk } = await loadOrCreateKeys(keyFile);
  return {
    publicJwk: { ...publicJwk, kid: 'local', alg: 'ES256', use: 'sig' },
    sign: (claims, expiresIn = '12h') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'local' })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['ES256'] });
        return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      } catch {
        return undefined;
      }
    },
  };
}

async function loadOrCreateKeys(keyFile: string): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey; publicJwk: JWK }> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(keyFile, 'utf8')) as JWK;
  } catch {
    const pair = await generateKeyPair('ES256', { extractable: true });
    jwk = await exportJWK(pair.privateKey);
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  const { d: _private, ...publicJwk } = jwk;
  return {
    privateKey: (await importJWK(jwk, 'ES256')) as CryptoKey,
    publicKey: (await importJWK(publicJwk, 'ES256')) as CryptoKey,
    publicJwk,
  };
}
