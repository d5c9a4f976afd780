import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { resources, synth, type Synthesized } from './synth.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synth({ stage: 'dev' });
  prod = synth({ stage: 'prod', webOrigins: 'https://app.tallogtid.no, http://localhost:5173', authDomainPrefix: 'tallogtid-frist' });
}, 120_000);

/** The one resource of a type whose logical id starts so. */
function one(json: Record<string, any>, type: string, idStart = ''): [string, any] {
  const found = resources(json, type).filter(([id]) => id.startsWith(idStart));
  expect(
    found.map(([id]) => id),
    `${type} ${idStart}`,
  ).toHaveLength(1);
  return found[0]!;
}

/** The distribution's https:// origin, as the template writes it. */
const APP_ORIGIN = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^WebDistribution/), 'DomainName'] }]] };

/** A value of the template with each pseudo parameter and reference written as <name>, so a joined string can be read. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(text).join(v['Fn::Join'][0]);
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  if (typeof v['Fn::Sub'] === 'string') return v['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>');
  throw new Error(`cannot read ${JSON.stringify(value)}`);
}

/** The Content-Security-Policy as directive -> sources. */
function csp(json: Record<string, any>): Record<string, string[]> {
  const [, policy] = one(json, 'AWS::CloudFront::ResponseHeadersPolicy');
  const header = text(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
  return Object.fromEntries(header.split('; ').map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)]));
}

describe('the bucket', () => {
  it('is private, encrypted, TLS only and logged, and only the distribution may read it (origin access control)', () => {
    const [bucketId, bucket] = one(dev.json, 'AWS::S3::Bucket', 'WebBucket');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^StorageAccessLogs/) }, LogFilePrefix: 'web/' },
    });
    const [, policy] = resources(dev.json, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)!;
    const [tls, read, ...others] = policy.Properties.PolicyDocument.Statement;
    expect(others).toEqual([]);
    expect(tls).toMatchObject({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(read).toMatchObject({ Effect: 'Allow', Action: 's3:GetObject', Principal: { Service: 'cloudfront.amazonaws.com' } });
    expect(text(read.Condition.StringEquals['AWS:SourceArn'])).toMatch(/:cloudfront::<AWS::AccountId>:distribution\/<WebDistribution\w+>$/);
    const [, oac] = one(dev.json, 'AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
  });

  it('is kept in prod and may go with a dev stage', () => {
    expect(one(prod.json, 'AWS::S3::Bucket', 'WebBucket')[1].DeletionPolicy).toBe('Retain');
    expect(one(dev.json, 'AWS::S3::Bucket', 'WebBucket')[1].DeletionPolicy).toBe('Delete');
  });
});

describe('the distribution', () => {
  it('serves the bucket over HTTPS only, index.html at the root, with the headers policy and the SPA fallback, and logs', () => {
    const [, distribution] = one(dev.json, 'AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    expect(config).toMatchObject({
      DefaultRootObject: 'index.html',
      Logging: { Bucket: { 'Fn::GetAtt': [expect.stringMatching(/^StorageAccessLogs/), 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        ResponseHeadersPolicyId: { Ref: expect.stringMatching(/^WebHeaders/) },
        FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.stringMatching(/^WebSpaFallback/), 'FunctionARN'] } }],
      },
    });
    expect(config.Origins).toHaveLength(1);
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    // No 403/404 error pages: a missing asset is an error, not index.html (the function routes instead).
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('sends HSTS, nosniff, frame DENY and no referrer', () => {
    const [, policy] = one(dev.json, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    });
  });

  it('allows scripts only from the app, fetches only to the app, the API and the sign-in endpoints, and no framing', () => {
    const region = '<AWS::Region>.<AWS::URLSuffix>';
    const signIn = 'https://frist-dev-<AWS::AccountId>.auth.<AWS::Region>.amazoncognito.com';
    expect(csp(dev.json)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'", `https://*.execute-api.${region}`, `https://cognito-idp.${region}`, signIn],
      'frame-src': ['blob:'],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'", signIn],
    });
    expect(csp(prod.json)['form-action']).toEqual(["'self'", 'https://tallogtid-frist.auth.<AWS::Region>.amazoncognito.com']);
  });

  it("names the user pool's own sign-in domain in the CSP", () => {
    for (const json of [dev.json, prod.json]) {
      const [, domain] = one(json, 'AWS::Cognito::UserPoolDomain');
      expect(csp(json)['form-action']).toEqual(["'self'", `https://${text(domain.Properties.Domain)}.auth.<AWS::Region>.amazoncognito.com`]);
    }
  });
});

describe('the SPA fallback (a CloudFront Function)', () => {
  const source = readFileSync(join(ROOT, 'cdk', 'constructs', 'spa-fallback.cloudfront.js'), 'utf8');
  // The code runs as CloudFront runs it: a script in a context of its own, whose top-level handler gets the event.
  const handler = runInNewContext(`${source}\nhandler;`) as (event: unknown) => { uri: string; querystring: unknown };
  const request = (uri: string, querystring: Record<string, { value: string }> = {}) =>
    handler({
      version: '1.0',
      context: { eventType: 'viewer-request' },
      viewer: { ip: '192.0.2.1' },
      request: { method: 'GET', uri, querystring, headers: {}, cookies: {} },
    });

  it.each(['/', '/tasks', '/tasks/7K2M9X4P1QRS3T5V', '/customers/ABC/documents', '/settings/'])('serves /index.html for the route %s', (uri) => {
    expect(request(uri).uri).toBe('/index.html');
  });

  it('keeps the query string of the sign-in callback', () => {
    const querystring = { code: { value: 'c0de' }, state: { value: 's7a7e' } };
    expect(request('/auth/callback', querystring)).toMatchObject({ uri: '/index.html', querystring });
  });

  it.each(['/index.html', '/config.json', '/assets/index-Bk3m9x2Q.js', '/assets/nested/logo-9f8e7d.svg', '/favicon.ico', '/assets/missing-000.js'])(
    'passes the file %s through unchanged, so a missing one stays an error',
    (uri) => {
      expect(request(uri).uri).toBe(uri);
    },
  );

  it('is deployed as this very file, on the cloudfront-js-2.0 runtime, within the 10 KB limit', () => {
    const [, fn] = one(dev.json, 'AWS::CloudFront::Function');
    expect(fn.Properties.FunctionCode).toBe(source);
    expect(fn.Properties.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(Buffer.byteLength(source)).toBeLessThan(10 * 1024);
  });
});

describe('the files', () => {
  const deployment = (json: Record<string, any>, name: string) => one(json, 'Custom::CDKBucketDeployment', `Web${name}`);

  it('caches the hashed files for a year and keeps earlier ones for open tabs', () => {
    const [, hashed] = deployment(dev.json, 'HashedFiles');
    expect(hashed.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'assets/',
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
      Prune: false,
    });
  });

  it('revalidates index.html on every load, uploads it after the hashed files, prunes the rest and invalidates the distribution', () => {
    const [hashedId] = deployment(dev.json, 'HashedFiles');
    const [, files] = deployment(dev.json, 'UnhashedFiles');
    expect(files.Properties).toMatchObject({
      SystemMetadata: { 'cache-control': 'no-cache' },
      Prune: true,
      Exclude: ['assets/*', 'config.json'],
      DistributionId: { Ref: expect.stringMatching(/^WebDistribution/) },
      DistributionPaths: ['/*'],
    });
    expect(files.DependsOn).toContain(hashedId);
    const zip = files.Properties.SourceObjectKeys[0].replace(/\.zip$/, '');
    expect(readFileSync(join(dev.assembly.directory, `asset.${zip}`, 'index.html'), 'utf8')).toContain('<div id="root">');
  });

  it('writes config.json with the API URL, the issuer, the web client, the scope and the sign-out URL', () => {
    const [, config] = deployment(dev.json, 'RuntimeConfig');
    expect(config.Properties).toMatchObject({ SystemMetadata: { 'cache-control': 'no-cache' }, Prune: false, DistributionPaths: ['/config.json'] });
    const zip = config.Properties.SourceObjectKeys[0].replace(/\.zip$/, '');
    let written = readFileSync(join(dev.assembly.directory, `asset.${zip}`, 'config.json'), 'utf8');
    for (const [marker, value] of Object.entries(config.Properties.SourceMarkers[0] as Record<string, unknown>))
      written = written.replaceAll(marker, text(value));
    const [poolId] = one(dev.json, 'AWS::Cognito::UserPool');
    const [webClientId] = one(dev.json, 'AWS::Cognito::UserPoolClient', 'HttpUsersWebClient');
    const [domainId] = one(dev.json, 'AWS::Cognito::UserPoolDomain');
    const [apiId] = one(dev.json, 'AWS::ApiGatewayV2::Api');
    expect(JSON.parse(written)).toEqual({
      apiUrl: `<${apiId}.ApiEndpoint>`,
      oidc: {
        authority: `<${poolId}.ProviderURL>`,
        clientId: `<${webClientId}>`,
        scope: 'openid email profile',
        logoutUrl: `https://<${domainId}>.auth.<AWS::Region>.amazoncognito.com/logout`,
      },
    });
  });

  it("lets CDK's deployment function touch only the app bucket, the staged files, the invalidation and its own logs", () => {
    const [roleId, role] = one(dev.json, 'AWS::IAM::Role', 'WebDeploymentRole');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const [, policy] = resources(dev.json, 'AWS::IAM::Policy').find(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))!;
    for (const statement of policy.Properties.PolicyDocument.Statement) {
      const on = [statement.Resource].flat().map(text).join(' ');
      const actions = [statement.Action].flat().join(' ');
      if (/^logs:/.test(actions)) expect(on).toMatch(/^<WebDeploymentLogs\w+\.Arn>$/);
      else if (/^cloudfront:/.test(actions)) expect(actions).toBe('cloudfront:GetInvalidation cloudfront:CreateInvalidation');
      else
        expect(on).toMatch(
          /^(<WebBucket\w+\.Arn> <WebBucket\w+\.Arn>\/\*|(arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>) \2\/\*)$/,
        );
    }
  });
});

describe('sign-in', () => {
  const client = (json: Record<string, any>, name: string) => one(json, 'AWS::Cognito::UserPoolClient', `HttpUsers${name}`);

  it('gives the web app a public client with the authorization code grant only, back to the distribution', () => {
    const [, web] = client(dev.json, 'WebClient');
    expect(web.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 60,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { IdToken: 'minutes', RefreshToken: 'minutes' },
    });
    expect(web.Properties.CallbackURLs.map(text)).toEqual([expect.stringMatching(/^https:\/\/<WebDistribution\w+\.DomainName>\/auth\/callback$/)]);
    expect(web.Properties.LogoutURLs.map(text)).toEqual([expect.stringMatching(/^https:\/\/<WebDistribution\w+\.DomainName>\/$/)]);
  });

  it('adds the configured origins to the callback and sign-out URLs and to CORS', () => {
    const [, web] = client(prod.json, 'WebClient');
    expect(web.Properties.CallbackURLs.slice(1)).toEqual(['https://app.tallogtid.no/auth/callback', 'http://localhost:5173/auth/callback']);
    expect(web.Properties.LogoutURLs.slice(1)).toEqual(['https://app.tallogtid.no/', 'http://localhost:5173/']);
    const [, api] = one(prod.json, 'AWS::ApiGatewayV2::Api');
    expect(api.Properties.CorsConfiguration.AllowOrigins).toEqual([APP_ORIGIN, 'https://app.tallogtid.no', 'http://localhost:5173']);
  });

  it('turns OAuth off for the App client, so the sign-in domain redirects tokens for no one else', () => {
    const [, app] = client(dev.json, 'App');
    expect(app.Properties.AllowedOAuthFlows).toBeUndefined();
    expect(app.Properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(app.Properties.CallbackURLs).toBeUndefined();
  });

  it('serves managed login (version 2) on the pool domain, styled for the web client', () => {
    const [, domain] = one(dev.json, 'AWS::Cognito::UserPoolDomain');
    expect(domain.Properties).toMatchObject({ ManagedLoginVersion: 2, UserPoolId: { Ref: expect.stringMatching(/^HttpUsers/) } });
    expect(text(domain.Properties.Domain)).toBe('frist-dev-<AWS::AccountId>');
    const [webClientId] = client(dev.json, 'WebClient');
    const [, style] = one(dev.json, 'AWS::Cognito::ManagedLoginBranding');
    expect(style.Properties).toMatchObject({ ClientId: { Ref: webClientId }, UseCognitoProvidedValues: true });
    expect(one(dev.json, 'AWS::Cognito::UserPool')[1].Properties.UserPoolTier).toBe('ESSENTIALS');
  });

  it("lets the API's authorizer accept ID tokens of both clients", () => {
    const [, authorizer] = one(dev.json, 'AWS::ApiGatewayV2::Authorizer');
    const [appId] = client(dev.json, 'App');
    const [webId] = client(dev.json, 'WebClient');
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([{ Ref: appId }, { Ref: webId }]);
  });

  it('outputs the app URL', () => {
    expect(dev.json.Outputs.AppUrl.Value).toEqual(APP_ORIGIN);
  });
});

describe('with an existing OIDC issuer instead of the user pool', () => {
  it('points config.json and the CSP at the issuer, and the authorizer at its audience', () => {
    const { json, assembly } = synth({ stage: 'dev', jwtIssuer: 'https://login.tallogtid.no/realms/frist', jwtAudience: 'frist-web' });
    expect(resources(json, 'AWS::Cognito::UserPool')).toEqual([]);
    expect(csp(json)['connect-src']).toContain('https://login.tallogtid.no');
    expect(csp(json)['form-action']).toEqual(["'self'", 'https://login.tallogtid.no']);
    expect(one(json, 'AWS::ApiGatewayV2::Authorizer')[1].Properties.JwtConfiguration.Audience).toEqual(['frist-web']);
    const [, config] = one(json, 'Custom::CDKBucketDeployment', 'WebRuntimeConfig');
    const zip = config.Properties.SourceObjectKeys[0].replace(/\.zip$/, '');
    const written = JSON.parse(readFileSync(join(assembly.directory, `asset.${zip}`, 'config.json'), 'utf8'));
    expect(written.oidc).toEqual({ authority: 'https://login.tallogtid.no/realms/frist', clientId: 'frist-web', scope: 'openid email profile' });
  }, 60_000);
});

describe('without a built web app', () => {
  it('stops synth and says to build it first', () => {
    const empty = mkdtempSync(join(tmpdir(), 'frist-no-web-'));
    expect(() => synth({ stage: 'dev', webDist: empty })).toThrow(/has no index\.html\. Run npm run build:web first/);
  });
});
