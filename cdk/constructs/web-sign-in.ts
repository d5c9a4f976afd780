import { Duration, Stack } from 'aws-cdk-lib';
import {
  CfnManagedLoginBranding,
  ManagedLoginVersion,
  OAuthScope,
  UserPoolClientIdentityProvider,
  type UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface WebSignInProps {
  /** The origins the web app is served from (its distribution first), without a trailing slash. */
  origins: string[];
  /** <prefix>.auth.<region>.amazoncognito.com */
  domainPrefix: string;
}

/** The app's redirect URI after sign-in, under each of its origins. */
export const CALLBACK_PATH = '/auth/callback';

/**
 * Sign-in for the web app: the user pool's managed login pages on its own domain and a public
 * app client (no secret) that may only use the authorization code grant. The app sends a PKCE
 * code challenge; Cognito then refuses to redeem the code without the matching verifier
 * (Cognito has no switch that makes PKCE mandatory for a client: the app must send it).
 */
export class WebSignIn extends Construct {
  readonly domain: UserPoolDomain;
  readonly client: UserPoolClient;
  /** The issuer: its discovery document names the managed login endpoints. */
  readonly authority: string;
  readonly clientId: string;
  readonly logoutUrl: string;

  constructor(scope: Construct, id: string, props: WebSignInProps & { pool: UserPool }) {
    super(scope, id);
    const { pool } = props;
    this.domain = pool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.client = pool.addClient('WebClient', {
      generateSecret: false,
      // What managed login itself uses for the password step; the app never calls InitiateAuth.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: props.origins.map((origin) => `${origin}${CALLBACK_PATH}`),
        logoutUrls: props.origins.map((origin) => `${origin}/`),
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      // A working day: an hour per ID token, renewed with the refresh token, which ends after
      // 12 hours, so a forgotten browser signs in (with MFA) again the next morning.
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // Time for the password and the TOTP code on the managed login pages.
      authSessionValidity: Duration.minutes(5),
      enableTokenRevocation: true,
    });
    // Managed login (version 2) shows its pages for a client only once the client has a
    // style; Cognito's own look is enough.
    new CfnManagedLoginBranding(this, 'Style', {
      userPoolId: pool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.authority = pool.userPoolProviderUrl;
    this.clientId = this.client.userPoolClientId;
    this.logoutUrl = `${this.domain.baseUrl()}/logout`;
  }

  /**
   * The origins the app's OIDC client reaches, known before the pool exists (the
   * distribution's headers name them, and the client names the distribution): the issuer's
   * (discovery, keys) and the managed login domain's (authorize, token, logout).
   */
  static origins(scope: Construct, domainPrefix: string): { issuer: string; signIn: string } {
    const stack = Stack.of(scope);
    return {
      issuer: `https://cognito-idp.${stack.region}.${stack.urlSuffix}`,
      signIn: `https://${domainPrefix}.auth.${stack.region}.amazoncognito.com`,
    };
  }
}
