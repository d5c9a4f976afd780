import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { AccountRecovery, FeaturePlan, Mfa, StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { CORS_POLICY } from '../../functions/api/cors.ts';
import { PUBLIC_ROUTE_KEYS } from '../../functions/api/routes.ts';
import type { StackConfig } from '../stack-config.ts';
import { WebSignIn, type WebSignInProps } from './web-sign-in.ts';

/**
 * The HTTP API in front of the api function: a JWT authorizer on every route but the public
 * ones, default throttling, JSON access logs, CORS only for the configured origins. The
 * issuer is the stack's own Cognito user pool (firm users carry the immutable
 * `custom:tenant_id` attribute) unless an existing issuer and audience are configured. The
 * web app's origins are allowed by CORS, and its sign-in client (web-sign-in.ts) is an
 * audience beside the App client.
 */
export class FristHttpApi extends Construct {
  readonly api: HttpApi;
  readonly url: string;
  userPoolId?: string;
  userPoolClientId?: string;
  userPool?: UserPool;
  /** The web app's sign-in through the user pool's managed login (with the stack's own pool). */
  webSignIn?: WebSignIn;
  /** The routes served without a token. */
  readonly publicRoutes: IConstruct[] = [];

  constructor(scope: Construct, id: string, props: { config: StackConfig; handler: IFunction; web: WebSignInProps }) {
    super(scope, id);
    const { config } = props;
    const { issuer, audience } = config.jwtIssuer ? { issuer: config.jwtIssuer, audience: [config.jwtAudience!] } : this.createUserPool(config, props.web);
    const corsOrigins = [...new Set([...config.corsOrigins, ...props.web.origins])];

    this.api = new HttpApi(this, 'Api', {
      description: `Frist ${config.stage}`,
      createDefaultStage: false,
      ...(corsOrigins.length
        ? {
            corsPreflight: {
              allowOrigins: corsOrigins,
              allowMethods: CORS_POLICY.allowMethods.map((method) => CorsHttpMethod[method]),
              allowHeaders: [...CORS_POLICY.allowHeaders],
              exposeHeaders: [...CORS_POLICY.exposeHeaders],
              maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttleRate, burstLimit: config.throttleBurst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // Ids, route and outcome; never the Authorization header or a body.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    this.url = stage.url;

    const integration = new HttpLambdaIntegration('Api', props.handler);
    const authorizer = new HttpJwtAuthorizer('Jwt', issuer, { jwtAudience: audience });
    for (const key of PUBLIC_ROUTE_KEYS) {
      const [method, path] = key.split(' ') as [HttpMethod, string];
      this.publicRoutes.push(...this.api.addRoutes({ path, methods: [method], integration }));
    }
    this.api.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE],
      integration,
      authorizer,
    });
  }

  private createUserPool(config: StackConfig, web: WebSignInProps): { issuer: string; audience: string[] } {
    const pool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: { tenant_id: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: config.retainData,
      // Managed login (the web app's sign-in pages) needs Essentials or Plus; Essentials is
      // also what Cognito gives a new pool.
      featurePlan: FeaturePlan.ESSENTIALS,
    });
    // Apps that sign in with SRP themselves; no OAuth, so the sign-in domain cannot redirect
    // tokens for it anywhere (CDK's default would allow the implicit grant to https://example.com).
    const client = pool.addClient('App', {
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      generateSecret: false,
    });
    this.userPool = pool;
    this.userPoolId = pool.userPoolId;
    this.userPoolClientId = client.userPoolClientId;
    this.webSignIn = new WebSignIn(this, 'Web', { pool, ...web });
    return { issuer: pool.userPoolProviderUrl, audience: [client.userPoolClientId, this.webSignIn.clientId] };
  }
}
