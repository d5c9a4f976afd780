import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The local stand-in for the identity provider: an RS256 key pair kept in the local data
 * folder. Tokens it signs name this issuer, which no AWS deployment trusts.
 */
export const LOCAL_ISSUER = 'https://frist.local/issuer';
export const LOCAL_AUDIENCE = 'frist-local';
/** API Gateway's JWT authorizer takes only RSA-based algorithms, so the local issuer signs with one. */
const ALG = 'RS256';
/** The key's id in the JWKS; a token must name it in its header. */
const KID = 'local';

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
    publicJwk: { ...publicJwk, kid: KID, alg: ALG, use: 'sig' },
    sign: (claims, expiresIn = '12h') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: ALG, kid: KID })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(privateKey),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, publicKey, { issuer: LOCAL_ISSUER, algorithms: [ALG] }).then((verified) => {
          if (verified.protectedHeader.kid !== KID || !authorizerAccepts(verified.payload)) throw new Error('refused');
          return verified;
        });
        return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The claim checks of API Gateway's JWT authorizer ("Control access to HTTP APIs with JWT
 * authorizers") beyond the signature, the issuer, `exp` and `nbf` that jwtVerify makes: the
 * audience is `aud`, or `client_id` only when there is no `aud`; `iat` must not be ahead of now.
 */
function authorizerAccepts(payload: JWTPayload): boolean {
  const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
  if (!audiences.includes(LOCAL_AUDIENCE)) return false;
  return payload.iat === undefined || payload.iat <= Math.floor(Date.now() / 1000);
}

async function loadOrCreateKeys(keyFile: string): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey; publicJwk: JWK }> {
  let jwk: JWK | undefined;
  try {
    jwk = JSON.parse(await readFile(keyFile, 'utf8')) as JWK;
  } catch {
    jwk = undefined;
  }
  // A key of an earlier local issuer (ES256) is replaced: its tokens are refused from now on.
  if (jwk?.kty !== 'RSA') {
    const pair = await generateKeyPair(ALG, { extractable: true });
    jwk = await exportJWK(pair.privateKey);
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return {
    privateKey: (await importJWK(jwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
    publicJwk,
  };
}
