import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { AccountRecovery, Mfa, StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { CORS_POLICY } from '../../functions/api/cors.ts';
import { PUBLIC_ROUTE_KEYS } from '../../functions/api/routes.ts';
import type { StackConfig } from '../stack-config.ts';

/**
 * The HTTP API in front of the api function: a JWT authorizer on every route but the public
 * ones, default throttling, JSON access logs, CORS only for the configured origins. The
 * issuer is the stack's own Cognito user pool (firm users carry the immutable
 * `custom:tenant_id` attribute) unless an existing issuer and audience are configured.
 */
export class FristHttpApi extends Construct {
  readonly api: HttpApi;
  readonly url: string;
  userPoolId?: string;
  userPoolClientId?: string;
  userPool?: UserPool;
  /** The routes served without a token. */
  readonly publicRoutes: IConstruct[] = [];

  constructor(scope: Construct, id: string, props: { config: StackConfig; handler: IFunction }) {
    super(scope, id);
    const { config } = props;
    const { issuer, audience } = config.jwtIssuer ? { issuer: config.jwtIssuer, audience: config.jwtAudience! } : this.createUserPool(config);

    this.api = new HttpApi(this, 'Api', {
      description: `Frist ${config.stage}`,
      createDefaultStage: false,
      ...(config.corsOrigins.length
        ? {
            corsPreflight: {
              allowOrigins: config.corsOrigins,
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
    const authorizer = new HttpJwtAuthorizer('Jwt', issuer, { jwtAudience: [audience] });
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

  private createUserPool(config: StackConfig): { issuer: string; audience: string } {
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
    });
    const client = pool.addClient('App', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      generateSecret: false,
    });
    this.userPool = pool;
    this.userPoolId = pool.userPoolId;
    this.userPoolClientId = client.userPoolClientId;
    return { issuer: pool.userPoolProviderUrl, audience: client.userPoolClientId };
  }
}
